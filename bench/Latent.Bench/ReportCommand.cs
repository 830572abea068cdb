using System.Runtime.InteropServices;

namespace Latent.Bench;

/// <summary>
/// `report`: builds bench-results/&lt;date&gt;/report.html and report.md (with the README's snippet and the charts as
/// SVG files) from every bench-results/&lt;verb&gt;.json, after measuring the machine's FMA peak. Runs nothing else,
/// so a benchmark run alone refreshes its part of the report.
/// </summary>
internal static class ReportCommand
{
    public static int Run(string[] options, string[] order)
    {
        if (options.Length > 0)
        {
            Console.Error.WriteLine($"report: unknown option '{options[0]}'; report takes no options");
            return 2;
        }
        return Write(order);
    }

    /// <summary>Writes the report of the results files, shown in <paramref name="order"/> (others after, by name).</summary>
    public static int Write(string[] order)
    {
        string folder = Results.Folder;
        var runs = new List<BenchRun>();
        foreach (string path in Directory.Exists(folder) ? Directory.GetFiles(folder, "*.json") : [])
        {
            try
            {
                runs.Add(BenchRun.Load(path));
            }
            catch (Exception e) when (e is InvalidDataException or IOException)
            {
                Console.Error.WriteLine($"report: skipping {path}: {e.Message}");
            }
        }
        if (runs.Count == 0)
        {
            Console.Error.WriteLine($"report: no benchmark results in {folder}; run a benchmark first");
            return 1;
        }
        runs = [.. runs.GroupBy(r => r.Benchmark).Select(g => Combine(g))];
        int Rank(BenchRun run) => Array.IndexOf(order, run.Benchmark) is var i and >= 0 ? i : order.Length;
        runs = [.. runs.OrderBy(Rank).ThenBy(r => r.Benchmark, StringComparer.Ordinal)];

        var report = new BenchReport(runs, Machine(), DateOnly.FromDateTime(DateTime.Now));
        string target = Path.Combine(folder, report.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        // Charts of an earlier report of the same day may have other names; none may pass for this report's.
        if (Directory.Exists(target)) foreach (string chart in Directory.GetFiles(target, "*.svg")) File.Delete(chart);
        report.Save(target);
        Console.WriteLine($"# report of {runs.Count} benchmark runs ({report.Rows.Count} results, {report.Charts.Count} charts): " +
            $"{Path.Combine(target, "report.html")} and report.md");
        return 0;
    }

    /// <summary>The runs of one benchmark as one (medians over repeats); the latest alone when they cannot be combined.</summary>
    private static BenchRun Combine(IEnumerable<BenchRun> runs)
    {
        BenchRun[] ordered = [.. runs.OrderBy(r => r.Started)];
        try
        {
            return RepeatedRuns.Combine(ordered);
        }
        catch (InvalidDataException e)
        {
            Console.Error.WriteLine($"report: {e.Message} Showing the latest run alone.");
            return ordered[^1];
        }
    }

    /// <summary>The CPU as /proc/cpuinfo names it, the core count, the runtime and the FMA peak on one thread and on all.</summary>
    private static MachineInfo Machine()
    {
        string cpu;
        try
        {
            cpu = MachineInfo.CpuModelFrom(File.ReadAllText("/proc/cpuinfo")) ?? RuntimeInformation.ProcessArchitecture.ToString();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            cpu = RuntimeInformation.ProcessArchitecture.ToString();
        }
        int cores = Environment.ProcessorCount;
        var peaks = new List<FmaPeak>();
        foreach (int threads in new[] { 1, cores }.Distinct())
        {
            var monitor = new CpuMonitor();
            double gflops = FmaPeakMeter.Measure(threads, seconds: 0.2);
            peaks.Add(new FmaPeak(threads, gflops, monitor.ForeignCores()));
            Console.WriteLine($"# FMA peak on {threads} thread(s): {gflops:F0} GFLOP/s");
        }
        return new MachineInfo(cpu, cores, RuntimeInformation.FrameworkDescription, peaks);
    }
}
