using System.Diagnostics;
using System.Globalization;
using Latent.Training;
using Spectre.Console;

namespace Latent.Cli.Terminal;

/// <summary>
/// Shows training progress: a live bar (epoch, loss, samples/s, time left) on a terminal, and plain lines
/// (<see cref="ProgressLog"/>: every epoch, and a line every few seconds within a long one) when output is
/// redirected to a file or a pipe.
/// </summary>
internal static class TrainingProgressView
{
    public static T Run<T>(string title, Func<IProgress<TrainingProgress>, T> train)
    {
        if (Console.IsOutputRedirected || !AnsiConsole.Profile.Capabilities.Interactive)
        {
            var clock = Stopwatch.StartNew();
            var log = new ProgressLog(Console.Out, () => clock.Elapsed);
            log.Title(title);
            T trained = train(new InlineProgress<TrainingProgress>(log.Report));
            log.Flush();
            return trained;
        }
        T result = default!;
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                ProgressTask task = context.AddTask(Markup.Escape(title), maxValue: 1);
                result = train(new InlineProgress<TrainingProgress>(p =>
                {
                    task.MaxValue = p.Epochs * (double)p.Batches;
                    task.Value = (p.Epoch - 1) * (double)p.Batches + p.Batch;
                    task.Description = Markup.Escape(Stage(p) + string.Create(CultureInfo.InvariantCulture,
                        $"epoch {p.Epoch}/{p.Epochs}  loss {p.RunningLoss:G4}  {p.SamplesPerSecond:N0} samples/s"));
                    if (p.EpochEnded is { } e && (p.Stage is null || e.Epoch == p.Epochs)) AnsiConsole.MarkupLine(Markup.Escape(Stage(p) + Describe(e, p.Epochs)));
                }));
                task.Value = task.MaxValue;
            });
        return result;
    }

    private static string Stage(TrainingProgress p) => p.Stage is null ? "" : $"{p.Stage}: ";

    /// <summary>One epoch's line: "epoch   3/20  train loss 0.01234  validation loss 0.01301  52,310 samples/s  1.15s".</summary>
    public static string Describe(EpochReport e, int epochs)
    {
        string validation = e.ValidationLoss is { } v ? string.Create(CultureInfo.InvariantCulture, $"  validation loss {v:G5}") : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"epoch {e.Epoch,3}/{epochs}  train loss {e.TrainLoss:G5}{validation}  {e.SamplesPerSecond,9:N0} samples/s  {e.Seconds:F2}s");
    }
}
