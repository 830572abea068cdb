namespace Latent.Bench.Reporting;

/// <summary>The machine a report's figures come from.</summary>
/// <param name="CpuModel">As /proc/cpuinfo names it.</param>
/// <param name="Runtime">The .NET runtime, e.g. ".NET 10.0.1".</param>
/// <param name="FmaPeaks">Fused multiply-adds per second measured on this machine: the ceiling of any float kernel.</param>
public sealed record MachineInfo(string CpuModel, int LogicalCores, string Runtime, IReadOnlyList<FmaPeak> FmaPeaks)
{
    /// <summary>The "model name" of the first processor in the text of /proc/cpuinfo, or null when there is none.</summary>
    public static string? CpuModelFrom(string cpuinfo) =>
        cpuinfo.Split('\n')
            .Select(line => line.Split(':', 2))
            .Where(pair => pair.Length == 2 && pair[0].Trim() == "model name")
            .Select(pair => pair[1].Trim())
            .FirstOrDefault();
}

/// <summary>The measured FMA peak on some threads, with the cores other processes kept busy meanwhile (null when unknown).</summary>
public sealed record FmaPeak(int Threads, double Gflops, double? ForeignCores);
