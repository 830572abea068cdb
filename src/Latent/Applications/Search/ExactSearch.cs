using Latent.Engine;

namespace Latent.Applications.Search;

/// <summary>Exact k-nearest-neighbour search: every query against every code of <see cref="CodePanels"/> (<see cref="PanelScan"/>) in the frame of <see cref="PanelSearch"/>.</summary>
internal static class ExactSearch
{
    /// <summary>The k best (score, slot) pairs of each query, best first.</summary>
    /// <param name="queries">[count, dimension] row-major; unit length for cosine.</param>
    public static (float Score, int Slot)[][] Search(CodePanels codes, float[] queries, int count, int k, DistanceMetric metric)
    {
        int dim = codes.Dimension, padded = (count + PanelScan.QueryBlock - 1) / PanelScan.QueryBlock * PanelScan.QueryBlock;
        var blocks = new float[padded * dim];
        for (int q = 0; q < padded; q++)
            Array.Copy(queries, Math.Min(q, count - 1) * dim, blocks, q * dim, dim);
        int panelFloats = dim * CodePanels.Width;
        TopK[] heaps = PanelSearch.Run(codes.Panels, panelFloats * sizeof(float), count, k, panelFloats, (block, first, end, blockHeaps) =>
        {
            ReadOnlySpan<float> group = blocks.AsSpan(block * PanelScan.QueryBlock * dim, PanelScan.QueryBlock * dim);
            if (metric == DistanceMetric.Euclidean) PanelScan.Scan<SquaredEuclideanScan>(codes, group, first, end, blockHeaps);
            else PanelScan.Scan<NegativeCosineScan>(codes, group, first, end, blockHeaps);
        });
        return [.. heaps.Select(h => h.Sorted())];
    }
}
