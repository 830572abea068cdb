using System.CommandLine;

namespace Latent.Cli.Verbs;

/// <summary>`latent detect`: anomaly detection by reconstruction error and distance to normal rows (fit, score, evaluate).</summary>
internal static class DetectCommand
{
    public static Command Create() => new("detect", "Anomaly detection by reconstruction error and distance to normal rows: fit a detector on mostly normal rows, score new rows, evaluate on labelled data.")
    {
        DetectFitCommand.Create(),
        DetectScoreCommand.Create(),
        DetectEvaluateCommand.Create(),
    };
}
