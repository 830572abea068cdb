using Latent.Engine;

namespace Latent.Applications.Search;

/// <summary>
/// Approximate k-nearest-neighbour search over 8-bit codes: <see cref="QuantizedScan"/> keeps each query's
/// <c>candidates</c> best by the approximate score (in the frame of <see cref="PanelSearch"/>), and those are re-ranked
/// by their exact scores on the full codes. It misses a true neighbour only when the rounding pushes it below that
/// many others, so recall grows with the candidates at little cost: the scan is the work.
/// </summary>
internal static class QuantizedSearch
{
    /// <summary>The k best (score, slot) pairs of each query by the exact score, best first.</summary>
    /// <param name="queries">[count, dimension] row-major; unit length for cosine.</param>
    /// <param name="candidates">Per query, candidates re-ranked on the full codes (at least k are).</param>
    public static (float Score, int Slot)[][] Search(QuantizedCodes quantized, CodePanels codes, float[] queries, int count, int k, int candidates, DistanceMetric metric)
    {
        int dim = codes.Dimension;
        var weights = new QuantizedQueries(quantized, queries, count, metric);
        int panelBytes = quantized.Groups * QuantizedCodes.PanelGroupBytes;
        TopK[] heaps = PanelSearch.Run(quantized.Panels, panelBytes, count, Math.Max(k, candidates), panelBytes / 4,
            (block, first, end, blockHeaps) => QuantizedScan.Scan(quantized, weights, block,
                metric == DistanceMetric.Euclidean ? quantized.ScaledSquaredNorms : codes.InverseNorms, first, end, blockHeaps));

        var results = new (float, int)[count][];
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = Parallelism.Threads }, () => new float[dim], (q, _, code) =>
        {
            ReadOnlySpan<float> query = queries.AsSpan(q * dim, dim);
            var best = new TopK(k);
            foreach (int slot in heaps[q].Slots)   // any order: the exact scores rank them
            {
                codes.Read(slot, code);
                best.Offer(metric == DistanceMetric.Euclidean ? PairDistance.SquaredEuclidean(query, code) : -PairDistance.Dot(query, code) * codes.InverseNorms[slot], slot);
            }
            results[q] = best.Sorted();
            return code;
        }, _ => { });
        return results;
    }
}
