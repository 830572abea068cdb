using System.Globalization;
using Latent.Training;
using Spectre.Console;

namespace Latent.Cli.Terminal;

/// <summary>
/// Shows training progress: a live bar (epoch, loss, samples/s, time left) on a terminal, and one plain
/// line per epoch when output is redirected to a file or a pipe.
/// </summary>
internal static class TrainingProgressView
{
    public static T Run<T>(string title, Func<IProgress<TrainingProgress>, T> train)
    {
        if (Console.IsOutputRedirected || !AnsiConsole.Profile.Capabilities.Interactive)
        {
            Console.WriteLine(title);
            // About ten lines per run: a log file should show the trend, not every epoch; a fit in stages, one line per stage.
            return train(new InlineProgress<TrainingProgress>(p =>
            {
                if (p.EpochEnded is { } e && (e.Epoch == p.Epochs || (p.Stage is null && (e.Epoch == 1 || e.Epoch % Math.Max(1, p.Epochs / 10) == 0))))
                    Console.WriteLine(Stage(p) + Describe(e, p.Epochs));
            }));
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

    private static string Describe(EpochReport e, int epochs)
    {
        string validation = e.ValidationLoss is { } v ? string.Create(CultureInfo.InvariantCulture, $"  validation loss {v:G5}") : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"epoch {e.Epoch,3}/{epochs}  train loss {e.TrainLoss:G5}{validation}  {e.SamplesPerSecond,9:N0} samples/s  {e.Seconds:F2}s");
    }
}
