namespace Latent.Bench;

/// <summary>
/// How busy other processes kept the machine over an interval: total busy CPU time (Linux /proc/stat) minus
/// this process's own and its finished children's (the reference scripts it ran), in cores. Timings taken while it
/// is above ~0.1 are suspect. Null where /proc is absent.
/// </summary>
internal sealed class CpuMonitor
{
    private readonly (double Busy, double Own)? _start = Sample();
    private readonly DateTime _started = DateTime.UtcNow;

    /// <summary>Average number of cores used by other processes since construction, or null when unknown.</summary>
    public double? ForeignCores()
    {
        var end = Sample();
        if (_start is not { } start || end is not { } stop) return null;
        double seconds = (DateTime.UtcNow - _started).TotalSeconds;
        return seconds <= 0 ? null : Math.Max(0, (stop.Busy - start.Busy - (stop.Own - start.Own)) / seconds);
    }

    private static (double Busy, double Own)? Sample()
    {
        try
        {
            // cpu  user nice system idle iowait irq softirq steal ... (clock ticks, 100 per second on Linux)
            string[] cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            double busy = (long.Parse(cpu[1]) + long.Parse(cpu[2]) + long.Parse(cpu[3]) + long.Parse(cpu[6]) + long.Parse(cpu[7])) / 100.0;
            // /proc/self/stat after the ")" closing the name: state is field 0, then utime, stime, cutime, cstime at 11..14.
            string stat = File.ReadAllText("/proc/self/stat");
            string[] self = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            double own = (long.Parse(self[11]) + long.Parse(self[12]) + long.Parse(self[13]) + long.Parse(self[14])) / 100.0;
            return (busy, own);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }
}
