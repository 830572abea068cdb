using System.Reflection;

namespace Latent.Training.Recipes;

/// <summary>
/// How to train one kind of model on a data set with sensible defaults, evaluate it and describe the result: what
/// `latent train --kind KIND` runs. A recipe registers itself by deriving from this class (found once by reflection),
/// so adding a model kind to `latent train` adds a file here, not a case in the command line.
/// </summary>
/// <example>
/// <code>
/// TrainingRun run = TrainingRecipe.Find("dense").Prepare(new TrainSettings { Data = Datasets.Load("digits", Split.Train) });
/// TrainingResult result = run.Run();
/// result.Save("digits.safetensors");
/// if (result.HasReport) result.Report().Save("report.html");
/// </code>
/// </example>
public abstract class TrainingRecipe
{
    private static readonly Lazy<IReadOnlyList<TrainingRecipe>> Recipes = new(Discover);

    /// <summary>The name users pick it by ("dense").</summary>
    public abstract string Kind { get; }

    /// <summary>One line saying what it trains, for help texts.</summary>
    public abstract string Description { get; }

    /// <summary>Whether its results have an HTML report (<see cref="TrainingResult.HasReport"/>), known before training.</summary>
    public virtual bool WritesReport => false;

    /// <summary>Every recipe, the default one (dense) first.</summary>
    public static IReadOnlyList<TrainingRecipe> All => Recipes.Value;

    /// <exception cref="ArgumentException">No recipe of that kind.</exception>
    public static TrainingRecipe Find(string kind) => All.FirstOrDefault(r => r.Kind == kind)
        ?? throw new ArgumentException($"There is no training recipe '{kind}'; the recipes are {string.Join(", ", All.Select(r => r.Kind))}.");

    /// <summary>Checks the settings and plans the model, before any long work: refuses settings that do not apply.</summary>
    /// <exception cref="ArgumentException">Settings this recipe cannot use, or data it cannot learn.</exception>
    public abstract TrainingRun Prepare(TrainSettings settings);

    /// <summary>Refuses the settings given that the recipe does not use, naming them.</summary>
    protected void Refuse(params (bool Given, string What)[] settings)
    {
        string[] given = [.. settings.Where(s => s.Given).Select(s => s.What)];
        if (given.Length > 0) throw new ArgumentException($"The {Kind} recipe does not use {string.Join(", ", given)}.");
    }

    private static IReadOnlyList<TrainingRecipe> Discover() =>
    [
        .. typeof(TrainingRecipe).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(TrainingRecipe)) && !t.IsAbstract)
            .Select(t => (TrainingRecipe)Activator.CreateInstance(t, nonPublic: true)!)
            .OrderBy(r => r.Kind == "dense" ? 0 : 1).ThenBy(r => r.Kind, StringComparer.Ordinal),
    ];
}

/// <summary>A planned training: what it will train (<see cref="Title"/>) and the call that trains, evaluates and returns it.</summary>
public sealed class TrainingRun(string title, Func<IProgress<TrainingProgress>?, CancellationToken, TrainingResult> run)
{
    /// <summary>"Training a 64-128-64-32-64-128-64 autoencoder on digits (1,438 rows of 64 values)".</summary>
    public string Title { get; } = title;

    /// <summary>Trains and evaluates.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancel"/> was triggered: training stopped after its current batch, and nothing was evaluated.</exception>
    public TrainingResult Run(IProgress<TrainingProgress>? progress = null, CancellationToken cancel = default) => run(progress, cancel);
}
