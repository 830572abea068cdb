using System.Globalization;

namespace Latent.Bench;

/// <summary>The process's peak resident set (VmHWM), as the reference scripts measure their own.</summary>
internal static class PeakMemory
{
    public static double MiB()
    {
        foreach (string line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
        return double.NaN;
    }

    /// <summary>The note every peak-memory comparison carries.</summary>
    public const string Note = "each process whole; PyTorch's includes the Python runtime";
}
