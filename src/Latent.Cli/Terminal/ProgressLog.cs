using System.Globalization;
using Latent.Training;

namespace Latent.Cli.Terminal;

/// <summary>
/// Training progress as plain lines, for output that goes to a file, a pipe or a CI log: every epoch of a single run,
/// the last epoch of each stage of a fit in stages (plus any epoch after a quiet spell), and, whenever
/// <see cref="Every"/> passes without a line (a long epoch), a line with the time elapsed and the time left. A reader
/// of the log is never left without news for long, and a fast run does not flood it.
/// </summary>
internal sealed class ProgressLog(TextWriter output, Func<TimeSpan> clock)
{
    /// <summary>The longest silence: after this long without a line, the next batch report prints one.</summary>
    public static readonly TimeSpan Every = TimeSpan.FromSeconds(5);

    private TimeSpan _lastLine = clock(), _stageStart = clock();
    private readonly TimeSpan _start = clock();
    private string? _stage;
    private (TrainingProgress Progress, EpochReport Epoch)? _unprinted;   // an epoch not shown yet: shown when its stage or the run ends

    public void Title(string title) => Write(title);

    public void Report(TrainingProgress p)
    {
        TimeSpan now = clock();
        if (p.Stage != _stage)
        {
            Flush();
            (_stage, _stageStart) = (p.Stage, now);
        }
        if (p.EpochEnded is { } e)
        {
            bool show = p.Stage is null || e.Epoch == p.Epochs || now - _lastLine >= Every;
            _unprinted = show ? null : (p, e);
            if (show) Write(Prefix(p) + TrainingProgressView.Describe(e, p.Epochs) + Left(p, now));
            return;
        }
        // The last batch's news comes with its epoch's line.
        if (now - _lastLine < Every || p.Batch == p.Batches) return;
        Write(Prefix(p) + string.Create(CultureInfo.InvariantCulture,
            $"epoch {p.Epoch}/{p.Epochs}, batch {p.Batch}/{p.Batches}: loss {p.RunningLoss:G4}") + Left(p, now));
    }

    /// <summary>Shows the last epoch if it was held back (an early stop, a converged stage); call when training returns.</summary>
    public void Flush()
    {
        if (_unprinted is { } u) Write(Prefix(u.Progress) + TrainingProgressView.Describe(u.Epoch, u.Progress.Epochs));
        _unprinted = null;
    }

    private void Write(string line)
    {
        output.WriteLine(line);
        output.Flush();
        _lastLine = clock();
    }

    private static string Prefix(TrainingProgress p) => p.Stage is null ? "" : $"{p.Stage}: ";

    /// <summary>"  (1m05s elapsed, about 3m20s left)", the time left estimated from this stage's pace so far.</summary>
    private string Left(TrainingProgress p, TimeSpan now)
    {
        double total = (double)p.Epochs * p.Batches, done = (p.Epoch - 1) * (double)p.Batches + p.Batch;
        string elapsed = Duration(now - _start);
        if (done <= 0 || done >= total) return $"  ({elapsed} elapsed)";
        TimeSpan left = (now - _stageStart) * ((total - done) / done);
        return $"  ({elapsed} elapsed, about {Duration(left)} left{(p.Stage is null ? "" : " in this stage")})";
    }

    /// <summary>"42s", "3m05s", "1h02m".</summary>
    public static string Duration(TimeSpan t) => t.TotalHours >= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalHours}h{t.Minutes:D2}m")
        : t.TotalMinutes >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalMinutes}m{t.Seconds:D2}s")
            : string.Create(CultureInfo.InvariantCulture, $"{Math.Max(0, (int)t.TotalSeconds)}s");
}
