using Latent.Applications.Search;

namespace Latent.Applications.Reduction;

/// <summary>
/// Exact k-nearest neighbours by Euclidean distance, through the search index's SIMD scan (<see cref="ExactSearch"/>):
/// on low-dimensional codes an exact scan of 70,000 rows takes seconds, so the graph needs no approximation.
/// </summary>
internal static class NearestNeighbours
{
    private const int QueriesPerScan = 4096;   // bounds the heaps held at once

    /// <summary>The <paramref name="k"/> rows of <paramref name="points"/> nearest each query, nearest first: [queries, k] indices and distances.</summary>
    /// <param name="points">[rows, dimension] row-major; at least k rows.</param>
    /// <param name="queries">[count, dimension] row-major.</param>
    public static (int[] Indices, float[] Distances) Find(ReadOnlySpan<float> points, int dimension, ReadOnlySpan<float> queries, int k)
    {
        int count = queries.Length / dimension;
        using var panels = CodePanels.From(points, dimension);
        var indices = new int[count * k];
        var distances = new float[count * k];
        for (int start = 0; start < count; start += QueriesPerScan)
        {
            int m = Math.Min(QueriesPerScan, count - start);
            var hits = ExactSearch.Search(panels, queries.Slice(start * dimension, m * dimension).ToArray(), m, k, DistanceMetric.Euclidean);
            for (int q = 0; q < m; q++)
                for (int j = 0; j < k; j++)
                {
                    indices[(start + q) * k + j] = hits[q][j].Slot;
                    distances[(start + q) * k + j] = MathF.Sqrt(Math.Max(0, hits[q][j].Score));
                }
        }
        return (indices, distances);
    }
}
