using Latent.Engine;
using Latent.Models;
using Latent.Training;

namespace Latent.Applications.Search;

/// <summary>
/// Chooses the code size of an index's encoder: trains dense autoencoders with codes of 2, 4, 8, ... values on most of
/// the rows and measures how well each retrieves the held-out rows' neighbours: precision@10 by label when there are
/// labels, else recall@10 of each held-out row's nearest rows in the raw data. It keeps the smallest size after which
/// doubling gains less than <see cref="IndexModelOptions.MinimumGain"/>.
/// </summary>
internal static class CodeSizeSearch
{
    private const int K = 10;

    /// <param name="data">Rows [n, d] in the user's units.</param>
    /// <param name="labels">One label per row, or null.</param>
    public static IndexModelResult Choose(Tensor data, int[]? labels, IndexModelOptions options, IProgress<TrainingProgress>? progress, CancellationToken cancel)
    {
        int rows = data.Dim(0), inputs = data.Dim(1);
        if (labels is not null && labels.Length != rows) throw new ArgumentException($"There are {labels.Length} labels for {rows} rows.");
        int held = (int)Math.Round(rows * options.HeldOut);
        if (held < K || rows - held < 2 * K) throw new ArgumentException($"Choosing a code size needs more rows than {rows}: the held-out part must hold at least {K} queries and the rest {2 * K} rows.");

        // A seeded shuffle decides which rows are held out.
        int[] order = new Rng(options.Seed).Permutation(rows);
        int[] queryRows = order[..held], baseRows = order[held..];
        using Tensor database = Ops.SelectRows(data, baseRows), queries = Ops.SelectRows(data, queryRows);
        int[][]? rawTruth = labels is null ? Retrieval.Nearest(database, queries, K, DistanceMetric.Euclidean) : null;

        var trials = new List<(CodeSizeTrial Trial, DenseAutoencoder Model)>();
        int limit = Math.Min(options.MaxCodeSize, inputs);
        if (limit < 2) throw new ArgumentException($"Choosing a code size needs items of at least 2 values, not {inputs}; give a code size.");
        for (int size = 2; size <= limit; size *= 2)
        {
            cancel.ThrowIfCancellationRequested();
            string stage = $"code size {size}";
            DenseAutoencoder model = IndexModel.Fit(database, size, options, StagedProgress.Named(progress, stage), cancel);
            using Tensor baseCodes = model.Encode(database), queryCodes = model.Encode(queries);
            int[][] found = Retrieval.Nearest(baseCodes, queryCodes, K, options.Metric);
            double quality = labels is null
                ? Retrieval.RecallAtK(found, rawTruth!)
                : Retrieval.PrecisionAtK(found, [.. baseRows.Select(r => labels[r])], [.. queryRows.Select(r => labels[r])]);
            trials.Add((new CodeSizeTrial(size, quality), model));
            if (trials.Count >= 2 && quality - trials[^2].Trial.Quality < options.MinimumGain) break;
        }
        bool levelledOff = trials.Count >= 2 && trials[^1].Trial.Quality - trials[^2].Trial.Quality < options.MinimumGain;
        var chosen = levelledOff ? trials[^2] : trials[^1];
        return new IndexModelResult(chosen.Model, [.. trials.Select(t => t.Trial)], labels is null ? "recall@10 of raw-space neighbours" : "precision@10 by label")
        {
            StillImproving = !levelledOff,
        };
    }
}
