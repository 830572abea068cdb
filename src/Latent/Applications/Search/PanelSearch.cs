using Latent.Engine;

namespace Latent.Applications.Search;

/// <summary>
/// The frame of a scan over panels of codes, shared by <see cref="ExactSearch"/> and <see cref="QuantizedSearch"/>: the
/// panels are split among the cores, each core walks its share in cache-sized blocks and scans every block of queries
/// against a block of panels before moving on, keeping a heap per query; the cores' heaps are merged at the end.
/// </summary>
internal static class PanelSearch
{
    private const int BlockBytes = 1 << 18;                 // codes per block: stays in L2 while all queries pass over it
    private const long MultiplyAddsPerThread = 1 << 20;     // below this, another thread costs more than it saves

    /// <summary>Scans panels [<paramref name="firstPanel"/>, <paramref name="endPanel"/>) for the <see cref="PanelScan.QueryBlock"/> queries of block <paramref name="block"/>, one heap each.</summary>
    public delegate void BlockScan(int block, int firstPanel, int endPanel, TopK[] heaps);

    /// <summary>The <paramref name="heapSize"/> best (score, slot) pairs of each of <paramref name="count"/> queries.</summary>
    /// <param name="panels">Panels to scan.</param>
    /// <param name="panelBytes">Bytes of one panel, for the block size.</param>
    /// <param name="multiplyAddsPerPanel">Work of scoring one query against one panel, for the thread count.</param>
    public static TopK[] Run(int panels, int panelBytes, int count, int heapSize, long multiplyAddsPerPanel, BlockScan scan)
    {
        int blocks = (count + PanelScan.QueryBlock - 1) / PanelScan.QueryBlock;
        long work = panels * multiplyAddsPerPanel * count;
        int workers = (int)Math.Clamp(work / MultiplyAddsPerThread, 1, Math.Min(Parallelism.Threads, Math.Max(1, panels)));
        var heaps = new TopK[workers][];
        void Work(int w)
        {
            var mine = new TopK[blocks * PanelScan.QueryBlock];
            for (int q = 0; q < mine.Length; q++) mine[q] = new TopK(heapSize);
            heaps[w] = mine;
            var blockHeaps = new TopK[blocks][];
            for (int b = 0; b < blocks; b++) blockHeaps[b] = mine[(b * PanelScan.QueryBlock)..((b + 1) * PanelScan.QueryBlock)];
            int first = (int)((long)panels * w / workers), end = (int)((long)panels * (w + 1) / workers);
            int step = Math.Max(1, BlockBytes / panelBytes);
            for (int start = first; start < end; start += step)
            {
                int stop = Math.Min(end, start + step);
                for (int b = 0; b < blocks; b++) scan(b, start, stop, blockHeaps[b]);
            }
        }
        if (workers == 1) Work(0);
        else Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, Work);

        var merged = new TopK[count];
        for (int q = 0; q < count; q++)
        {
            merged[q] = heaps[0][q];
            for (int w = 1; w < workers; w++) merged[q].Merge(heaps[w][q]);
        }
        return merged;
    }
}
