using Latent.Engine;
using Latent.Models;
using Latent.Training;

namespace Latent.Applications.Search;

/// <summary>One code size tried by the automatic choice: its held-out retrieval quality.</summary>
public sealed record CodeSizeTrial(int CodeSize, double Quality);

/// <summary>The trained model; with an automatic code size, every size tried and what measured them (else no trials and a null measure).</summary>
public sealed record IndexModelResult(DenseAutoencoder Model, IReadOnlyList<CodeSizeTrial> Trials, string? QualityMeasure)
{
    /// <summary>
    /// Automatic code size: true when the search ran out of sizes (<see cref="IndexModelOptions.MaxCodeSize"/> or the
    /// items' width) while quality was still rising, so the size kept is simply the largest tried; false when the
    /// last doubling gained less than <see cref="IndexModelOptions.MinimumGain"/>.
    /// </summary>
    public bool StillImproving { get; init; }
}

/// <summary>
/// Trains the encoder of an index when the user has none: a dense autoencoder shaped for the data by
/// <see cref="DenseAutoencoderConfig.For"/>, with a given code size or one chosen by <see cref="CodeSizeSearch"/>.
/// </summary>
/// <example><code>
/// IndexItems items = IndexItems.Load("photos");
/// IndexModelResult trained = IndexModel.Train(items);                       // code size chosen automatically
/// using var index = LatentIndex.Build("photos.db", trained.Model, items);
/// </code></example>
public static class IndexModel
{
    /// <summary>Trains on <paramref name="items"/>' rows (with their labels, if any, to judge code sizes) and records what they are in the model.</summary>
    public static IndexModelResult Train(IndexItems items, IndexModelOptions? options = null, IProgress<TrainingProgress>? progress = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        IndexModelResult result = Train(items.Rows, items.Labels, options, progress, cancel);
        result.Model.Data = items.Data;
        return result;
    }

    /// <param name="rows">The items [rows, columns] in the user's units.</param>
    /// <param name="labels">A label per row, or null; with an automatic code size, labels judge retrieval (precision@10), else raw-space neighbours do.</param>
    /// <param name="progress">Hears of every batch; while code sizes are tried, <see cref="TrainingProgress.Stage"/> names the size.</param>
    /// <exception cref="ArgumentException">Bad options, labels of another length, or (automatic code size) too few rows to hold some out.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancel"/> was triggered.</exception>
    public static IndexModelResult Train(Tensor rows, int[]? labels = null, IndexModelOptions? options = null, IProgress<TrainingProgress>? progress = null,
        CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        options ??= new IndexModelOptions();
        options.Validate();
        if (options.CodeSize is not { } size) return CodeSizeSearch.Choose(rows, labels, options, progress, cancel);
        DenseAutoencoder model = Fit(rows, size, options, progress, cancel);
        return new IndexModelResult(model, [], null);
    }

    /// <summary>A dense autoencoder with <paramref name="codeSize"/>-value codes trained on <paramref name="rows"/>.</summary>
    internal static DenseAutoencoder Fit(Tensor rows, int codeSize, IndexModelOptions options, IProgress<TrainingProgress>? progress, CancellationToken cancel)
    {
        var config = DenseAutoencoderConfig.For(rows) with { Hidden = options.Hidden, CodeSize = codeSize, Seed = options.Seed };
        var model = new DenseAutoencoder(config);
        var fit = new FitOptions { Epochs = options.Epochs, BatchSize = options.BatchSize, Seed = options.Seed };
        if (model.Fit(rows, fit, progress, cancel).StopReason == StopReason.Cancelled) throw new OperationCanceledException(cancel);
        return model;
    }
}
