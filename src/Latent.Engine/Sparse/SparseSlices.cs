namespace Latent.Engine;

/// <summary>
/// Splits a sparse op's work into contiguous slices, one per thread (<see cref="Parallelism.Threads"/>), or runs it on
/// the calling thread when it is too small to be worth waking another. Each slice owns its part of the output, so
/// results do not depend on the thread count.
/// </summary>
internal static class SparseSlices
{
    private const long MinimumWorkPerThread = 1 << 16;   // multiply-adds: below this a second thread costs more than it saves

    /// <summary>Calls <paramref name="body"/>(start, end) over slices of 0..<paramref name="length"/>, given the total multiply-adds.</summary>
    public static void For(int length, long work, Action<int, int> body)
    {
        int parts = (int)Math.Clamp(work / MinimumWorkPerThread, 1, Math.Min(Parallelism.Threads, Math.Max(1, length)));
        if (parts == 1)
        {
            body(0, length);
            return;
        }
        Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts },
            p => body((int)((long)length * p / parts), (int)((long)length * (p + 1) / parts)));
    }
}
