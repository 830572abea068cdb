using Latent.Engine;
using Latent.Models;
using Latent.Training;

namespace Latent.Applications.Search;

/// <summary>Settings of <see cref="CodeSizeSearch.Choose"/>.</summary>
public sealed record CodeSizeSearchOptions
{
    /// <summary>Encoder widths of every trial (the code size varies).</summary>
    public int[] Hidden { get; init; } = [256, 128];

    /// <summary>Training of every trial.</summary>
    public FitOptions Fit { get; init; } = new() { Epochs = 20 };

    /// <summary>Largest code size tried; the sizes are 2, 4, 8, ... up to it.</summary>
    public int MaxCodeSize { get; init; } = 128;

    /// <summary>Share of the rows held out as queries to measure retrieval quality.</summary>
    public double HeldOut { get; init; } = 0.2;

    /// <summary>The smallest gain in quality (precision@10 or neighbour recall@10, in [0, 1]) that still counts as improving.</summary>
    public double MinimumGain { get; init; } = 0.01;

    public DistanceMetric Metric { get; init; } = DistanceMetric.Cosine;

    /// <summary>Template for each trial's model (inputs, code size and hidden widths are set by the search).</summary>
    public DenseAutoencoderConfig? Model { get; init; }

    public ulong Seed { get; init; }
}

/// <summary>One trial of a code size: its held-out retrieval quality and the model trained for it.</summary>
public sealed record CodeSizeTrial(int CodeSize, double Quality, DenseAutoencoder Model);

/// <summary>The model of the chosen code size, and every trial that led to it.</summary>
public sealed record CodeSizeChoice(DenseAutoencoder Model, IReadOnlyList<CodeSizeTrial> Trials, string QualityMeasure);

/// <summary>
/// Chooses the code size of an index's encoder: trains dense autoencoders with codes of 2, 4, 8, ... values on most of
/// the rows and measures how well each retrieves the held-out rows' neighbours: precision@10 by label when there are
/// labels, else recall@10 of each held-out row's nearest rows in the raw data. It keeps the smallest size after which
/// doubling gains less than <see cref="CodeSizeSearchOptions.MinimumGain"/>.
/// </summary>
public static class CodeSizeSearch
{
    private const int K = 10;

    /// <param name="data">Rows [n, d] in the user's units.</param>
    /// <param name="labels">One label per row, or null.</param>
    /// <param name="trialDone">Called after each trial (for progress).</param>
    public static CodeSizeChoice Choose(Tensor data, int[]? labels, CodeSizeSearchOptions? options = null, Action<CodeSizeTrial>? trialDone = null,
        CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        options ??= new CodeSizeSearchOptions();
        int rows = data.Dim(0), inputs = data.Dim(1);
        if (labels is not null && labels.Length != rows) throw new ArgumentException($"There are {labels.Length} labels for {rows} rows.");
        int held = (int)Math.Round(rows * options.HeldOut);
        if (held < K || rows - held < 2 * K) throw new ArgumentException($"Choosing a code size needs more rows than {rows}: the held-out part must hold at least {K} queries and the rest {2 * K} rows.");

        // A seeded shuffle decides which rows are held out.
        int[] order = [.. Enumerable.Range(0, rows)];
        new Random((int)(options.Seed % int.MaxValue)).Shuffle(order);
        int[] queryRows = order[..held], baseRows = order[held..];
        using Tensor database = Ops.SelectRows(data, baseRows), queries = Ops.SelectRows(data, queryRows);
        int[][]? rawTruth = labels is null ? Retrieval.Nearest(database, queries, K, DistanceMetric.Euclidean) : null;

        var trials = new List<CodeSizeTrial>();
        int limit = Math.Min(options.MaxCodeSize, inputs);
        for (int size = 2; size <= limit; size *= 2)
        {
            cancel.ThrowIfCancellationRequested();
            var config = (options.Model ?? new DenseAutoencoderConfig { Inputs = inputs }) with { Inputs = inputs, CodeSize = size, Hidden = options.Hidden, Seed = options.Seed };
            var model = new DenseAutoencoder(config);
            History history = model.Fit(database, options.Fit, cancel: cancel);
            if (history.StopReason == StopReason.Cancelled) throw new OperationCanceledException();
            using Tensor baseCodes = model.Encode(database), queryCodes = model.Encode(queries);
            int[][] found = Retrieval.Nearest(baseCodes, queryCodes, K, options.Metric);
            double quality = labels is null
                ? Retrieval.RecallAtK(found, rawTruth!)
                : Retrieval.PrecisionAtK(found, [.. baseRows.Select(r => labels[r])], [.. queryRows.Select(r => labels[r])]);
            var trial = new CodeSizeTrial(size, quality, model);
            trials.Add(trial);
            trialDone?.Invoke(trial);
            if (trials.Count >= 2 && quality - trials[^2].Quality < options.MinimumGain) break;
        }
        CodeSizeTrial chosen = trials.Count >= 2 && trials[^1].Quality - trials[^2].Quality < options.MinimumGain ? trials[^2] : trials[^1];
        return new CodeSizeChoice(chosen.Model, trials, labels is null ? "recall@10 of raw-space neighbours" : "precision@10 by label");
    }
}
