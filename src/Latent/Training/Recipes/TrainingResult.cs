using Latent.Reporting;

namespace Latent.Training.Recipes;

/// <summary>
/// What a <see cref="TrainingRun"/> produced: the model (saved with <see cref="Save"/>), its training history, the
/// evaluation figures (named as in `latent train --json`), a few sentences summing them up, and, where the recipe
/// has one, the HTML report.
/// </summary>
public sealed class TrainingResult(object model, History history, Action<string> save, IReadOnlyDictionary<string, object?> figures,
    IReadOnlyList<string> summary, Func<HtmlReport>? report = null, Func<string, string, string>? nextStep = null)
{
    /// <summary>The trained model or application (a DenseAutoencoder, Generator, Denoiser, ConvAutoencoder…).</summary>
    public object Model { get; } = model;

    /// <summary>What happened during training.</summary>
    public History History { get; } = history;

    /// <summary>Evaluation figures by name ("reconstruction_mse", "negative_elbo", "psnr_denoised_db"…).</summary>
    public IReadOnlyDictionary<string, object?> Figures { get; } = figures;

    /// <summary>One or two sentences on what was trained and how well it does.</summary>
    public IReadOnlyList<string> Summary { get; } = summary;

    /// <summary>Whether the recipe has an HTML report.</summary>
    public bool HasReport => report is not null;

    /// <summary>Writes the model file.</summary>
    public void Save(string path) => save(path);

    /// <summary>The run's HTML report (results beside a baseline, loss curves, reconstructions, a code map).</summary>
    /// <exception cref="NotSupportedException">This recipe has no report (check <see cref="HasReport"/>).</exception>
    public HtmlReport Report() => report is not null ? report() : throw new NotSupportedException("This training recipe writes no report.");

    /// <summary>A `latent` command to try next with the saved model, or null.</summary>
    public string? NextStep(string modelPath, string data) => nextStep?.Invoke(modelPath, data);
}
