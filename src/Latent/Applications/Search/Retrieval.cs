using Latent.Engine;

namespace Latent.Applications.Search;

/// <summary>
/// Exact k-nearest-neighbour retrieval between two sets of rows, with the scan <see cref="LatentIndex"/> uses, and the
/// quality measures used to compare representations (latent codes, raw rows, PCA codes) and to choose a code size.
/// </summary>
public static class Retrieval
{
    /// <summary>For each row of <paramref name="queries"/> [q, d], the rows of <paramref name="database"/> [n, d] nearest to it, nearest first.</summary>
    /// <param name="excludeSelf">Leave out database row i for query i (when queries and database are the same rows).</param>
    public static int[][] Nearest(Tensor database, Tensor queries, int k, DistanceMetric metric, bool excludeSelf = false)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(queries);
        if (database.Rank != 2 || queries.Rank != 2 || database.Dim(1) != queries.Dim(1))
            throw new ArgumentException($"Queries [{string.Join(", ", queries.Shape)}] and database [{string.Join(", ", database.Shape)}] need rows of the same width.");
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), k, "k must be at least 1.");
        int dim = database.Dim(1), n = database.Dim(0), count = queries.Dim(0);
        using var codes = CodePanels.From(database.Span, dim);
        float[] q = queries.ToArray();
        if (metric == DistanceMetric.Cosine)
            for (int i = 0; i < count; i++) HnswGraph.Normalise(q.AsSpan(i * dim, dim));
        int keep = Math.Min(excludeSelf ? k + 1 : k, n);
        var found = ExactSearch.Search(codes, q, count, keep, metric);
        var result = new int[count][];
        for (int i = 0; i < count; i++)
            result[i] = [.. found[i].Select(f => f.Slot).Where(s => !excludeSelf || s != i).Take(k)];
        return result;
    }

    /// <summary>The mean share of each query's neighbours whose label equals the query's (precision@k by label).</summary>
    public static double PrecisionAtK(int[][] neighbours, int[] databaseLabels, int[] queryLabels)
    {
        double sum = 0;
        for (int i = 0; i < neighbours.Length; i++)
            sum += neighbours[i].Length == 0 ? 0 : neighbours[i].Count(n => databaseLabels[n] == queryLabels[i]) / (double)neighbours[i].Length;
        return neighbours.Length == 0 ? 0 : sum / neighbours.Length;
    }

    /// <summary>The mean share of each query's true neighbours (<paramref name="truth"/>) that <paramref name="found"/> holds (recall@k).</summary>
    public static double RecallAtK(int[][] found, int[][] truth)
    {
        double sum = 0;
        for (int i = 0; i < truth.Length; i++)
            sum += truth[i].Length == 0 ? 1 : found[i].Intersect(truth[i]).Count() / (double)truth[i].Length;
        return truth.Length == 0 ? 0 : sum / truth.Length;
    }
}
