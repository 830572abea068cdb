using Latent.Engine;

namespace Latent.Applications.Search;

/// <summary>
/// Exact k-nearest-neighbour search over <see cref="CodePanels"/>: the panels are split among the cores, each core
/// walks its share in cache-sized blocks and scores every query of the batch against a block before moving on,
/// keeping a top-k heap per query; the cores' heaps are merged at the end.
/// </summary>
internal static class ExactSearch
{
    private const int BlockFloats = 1 << 16;               // 256 KB of codes per block: stays in L2 while all queries pass over it
    private const long MultiplyAddsPerThread = 1 << 20;     // below this, another thread costs more than it saves

    /// <summary>The k best (score, slot) pairs of each query, best first.</summary>
    /// <param name="queries">[count, dimension] row-major; unit length for cosine.</param>
    public static (float Score, int Slot)[][] Search(CodePanels codes, float[] queries, int count, int k, DistanceMetric metric)
    {
        int dim = codes.Dimension, panels = codes.Panels, groups = (count + PanelScan.QueryBlock - 1) / PanelScan.QueryBlock;
        var padded = new float[groups * PanelScan.QueryBlock * dim];
        for (int q = 0; q < groups * PanelScan.QueryBlock; q++)
            Array.Copy(queries, Math.Min(q, count - 1) * dim, padded, q * dim, dim);

        long work = (long)panels * CodePanels.Width * dim * count;
        int workers = (int)Math.Clamp(work / MultiplyAddsPerThread, 1, Math.Min(Parallelism.Threads, Math.Max(1, panels)));
        var heaps = new TopK[workers][];
        void Work(int w)
        {
            var mine = new TopK[groups * PanelScan.QueryBlock];
            for (int q = 0; q < mine.Length; q++) mine[q] = new TopK(k);
            heaps[w] = mine;
            var groupHeaps = new TopK[groups][];
            for (int g = 0; g < groups; g++) groupHeaps[g] = mine[(g * PanelScan.QueryBlock)..((g + 1) * PanelScan.QueryBlock)];
            int first = (int)((long)panels * w / workers), end = (int)((long)panels * (w + 1) / workers);
            int block = Math.Max(1, BlockFloats / (dim * CodePanels.Width));
            for (int start = first; start < end; start += block)
            {
                int stop = Math.Min(end, start + block);
                for (int g = 0; g < groups; g++)
                {
                    ReadOnlySpan<float> group = padded.AsSpan(g * PanelScan.QueryBlock * dim, PanelScan.QueryBlock * dim);
                    if (metric == DistanceMetric.Euclidean) PanelScan.Scan<SquaredEuclideanScan>(codes, group, start, stop, groupHeaps[g]);
                    else PanelScan.Scan<NegativeCosineScan>(codes, group, start, stop, groupHeaps[g]);
                }
            }
        }
        if (workers == 1) Work(0);
        else Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, Work);

        var results = new (float, int)[count][];
        for (int q = 0; q < count; q++)
        {
            TopK merged = heaps[0][q];
            for (int w = 1; w < workers; w++) merged.Merge(heaps[w][q]);
            results[q] = merged.Sorted();
        }
        return results;
    }
}
