using System.Diagnostics;
using System.Globalization;
using Latent.Training;
using Spectre.Console;

namespace Latent.Cli.Terminal;

/// <summary>
/// Shows counted work that is not training (images made noisy, rows encoded, items indexed): a live bar with the count,
/// the time taken and the time left on a terminal; when output is redirected, a plain line of the same every five seconds,
/// so that a short run prints nothing and a log shows that a long one is alive. The work reports how many units it has done.
/// </summary>
internal static class WorkProgressView
{

    /// <summary>Runs <paramref name="work"/>, showing its progress unless <paramref name="quiet"/> (--json: stdout is for the result).</summary>
    /// <param name="unit">What is counted, plural ("images", "rows").</param>
    public static T Run<T>(string title, int total, string unit, bool quiet, Func<IProgress<int>, T> work)
    {
        if (quiet) return work(new InlineProgress<int>(_ => { }));
        if (Console.IsOutputRedirected || !AnsiConsole.Profile.Capabilities.Interactive) return RunPlain(title, total, unit, work);
        T result = default!;
        AnsiConsole.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                ProgressTask task = context.AddTask(Describe(title, 0, total, unit), maxValue: Math.Max(1, total));
                result = work(new InlineProgress<int>(done =>
                {
                    task.Value = done;
                    task.Description = Describe(title, done, total, unit);
                }));
            });
        return result;
    }

    /// <summary>As above, for work without a result.</summary>
    public static void Run(string title, int total, string unit, bool quiet, Action<IProgress<int>> work) =>
        Run(title, total, unit, quiet, progress =>
        {
            work(progress);
            return 0;
        });

    private static T RunPlain<T>(string title, int total, string unit, Func<IProgress<int>, T> work)
    {
        var clock = Stopwatch.StartNew();
        int done = 0;
        bool finished = false;
        var gate = new object();
        using var timer = new Timer(_ =>
        {
            lock (gate)
                if (!finished) Console.WriteLine(Line(title, Volatile.Read(ref done), total, unit, clock.Elapsed));
        }, null, ProgressLog.Every, ProgressLog.Every);
        try
        {
            return work(new InlineProgress<int>(n => Volatile.Write(ref done, n)));
        }
        finally
        {
            lock (gate) finished = true;   // no line after the work, whatever the timer is doing
        }
    }

    private static string Describe(string title, int done, int total, string unit) =>
        Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"{title}: {done}/{total} {unit}"));

    /// <summary>"Encoding rows: 12000/60000 rows (20%), 5s so far, about 20s left".</summary>
    private static string Line(string title, int done, int total, string unit, TimeSpan elapsed)
    {
        string left = done > 0 ? $"about {ProgressLog.Duration(elapsed * ((double)(total - done) / done))} left" : "time left not known yet";
        return string.Create(CultureInfo.InvariantCulture,
            $"{title}: {done}/{total} {unit} ({100.0 * done / Math.Max(1, total):F0}%), {ProgressLog.Duration(elapsed)} so far, {left}");
    }
}
