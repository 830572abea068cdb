using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Latent.Applications.Search;

/// <summary>
/// The inner loop of exact search: scores <see cref="QueryBlock"/> queries against every code of a range of
/// panels and offers each score to that query's heap. Four queries share each load of the codes; a SIMD compare
/// against the heaps' thresholds skips almost every candidate without leaving registers.
/// </summary>
internal static class PanelScan
{
    public const int QueryBlock = 4;

    /// <param name="codes">The codes.</param>
    /// <param name="queries"><see cref="QueryBlock"/> queries of <see cref="CodePanels.Dimension"/> values, one after another.</param>
    /// <param name="firstPanel">First panel scanned.</param>
    /// <param name="endPanel">One past the last panel scanned.</param>
    /// <param name="heaps">One heap per query.</param>
    public static void Scan<TMetric>(CodePanels codes, ReadOnlySpan<float> queries, int firstPanel, int endPanel, TopK[] heaps)
        where TMetric : struct, IScanMetric
    {
        if (Vector512.IsHardwareAccelerated) Scan512<TMetric>(codes, queries, firstPanel, endPanel, heaps);
        else if (Vector256.IsHardwareAccelerated) Scan256<TMetric>(codes, queries, firstPanel, endPanel, heaps);
        else ScanScalar<TMetric>(codes, queries, firstPanel, endPanel, heaps);
    }

    private static void Scan512<TMetric>(CodePanels codes, ReadOnlySpan<float> queries, int firstPanel, int endPanel, TopK[] heaps)
        where TMetric : struct, IScanMetric
    {
        int dim = codes.Dimension;
        ref float values = ref MemoryMarshal.GetArrayDataReference(codes.Values);
        ref float norms = ref MemoryMarshal.GetArrayDataReference(codes.InverseNorms);
        ref float q0 = ref MemoryMarshal.GetReference(queries);
        ref float q1 = ref Unsafe.Add(ref q0, dim), q2 = ref Unsafe.Add(ref q1, dim), q3 = ref Unsafe.Add(ref q2, dim);
        for (int p = firstPanel; p < endPanel; p++)
        {
            ref float panel = ref Unsafe.Add(ref values, (nint)p * dim * CodePanels.Width);
            Vector512<float> s0 = default, s1 = default, s2 = default, s3 = default;
            for (int j = 0; j < dim; j++)
            {
                Vector512<float> x = Vector512.LoadUnsafe(ref panel, (nuint)(j * CodePanels.Width));
                s0 = TMetric.Accumulate(s0, x, Vector512.Create(Unsafe.Add(ref q0, j)));
                s1 = TMetric.Accumulate(s1, x, Vector512.Create(Unsafe.Add(ref q1, j)));
                s2 = TMetric.Accumulate(s2, x, Vector512.Create(Unsafe.Add(ref q2, j)));
                s3 = TMetric.Accumulate(s3, x, Vector512.Create(Unsafe.Add(ref q3, j)));
            }
            Vector512<float> inverse = Vector512.LoadUnsafe(ref norms, (nuint)(p * CodePanels.Width));
            int slot = p * CodePanels.Width;
            Offer(heaps[0], TMetric.Score(s0, inverse), slot);
            Offer(heaps[1], TMetric.Score(s1, inverse), slot);
            Offer(heaps[2], TMetric.Score(s2, inverse), slot);
            Offer(heaps[3], TMetric.Score(s3, inverse), slot);
        }
    }

    private static void Scan256<TMetric>(CodePanels codes, ReadOnlySpan<float> queries, int firstPanel, int endPanel, TopK[] heaps)
        where TMetric : struct, IScanMetric
    {
        int dim = codes.Dimension;
        ref float values = ref MemoryMarshal.GetArrayDataReference(codes.Values);
        ref float norms = ref MemoryMarshal.GetArrayDataReference(codes.InverseNorms);
        for (int p = firstPanel; p < endPanel; p++)
        {
            ref float panel = ref Unsafe.Add(ref values, (nint)p * dim * CodePanels.Width);
            for (int half = 0; half < CodePanels.Width; half += 8)
            {
                ref float q0 = ref MemoryMarshal.GetReference(queries);
                ref float q1 = ref Unsafe.Add(ref q0, dim), q2 = ref Unsafe.Add(ref q1, dim), q3 = ref Unsafe.Add(ref q2, dim);
                Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default;
                for (int j = 0; j < dim; j++)
                {
                    Vector256<float> x = Vector256.LoadUnsafe(ref panel, (nuint)(j * CodePanels.Width + half));
                    s0 = TMetric.Accumulate(s0, x, Vector256.Create(Unsafe.Add(ref q0, j)));
                    s1 = TMetric.Accumulate(s1, x, Vector256.Create(Unsafe.Add(ref q1, j)));
                    s2 = TMetric.Accumulate(s2, x, Vector256.Create(Unsafe.Add(ref q2, j)));
                    s3 = TMetric.Accumulate(s3, x, Vector256.Create(Unsafe.Add(ref q3, j)));
                }
                Vector256<float> inverse = Vector256.LoadUnsafe(ref norms, (nuint)(p * CodePanels.Width + half));
                int slot = p * CodePanels.Width + half;
                Offer(heaps[0], TMetric.Score(s0, inverse), slot);
                Offer(heaps[1], TMetric.Score(s1, inverse), slot);
                Offer(heaps[2], TMetric.Score(s2, inverse), slot);
                Offer(heaps[3], TMetric.Score(s3, inverse), slot);
            }
        }
    }

    private static void ScanScalar<TMetric>(CodePanels codes, ReadOnlySpan<float> queries, int firstPanel, int endPanel, TopK[] heaps)
        where TMetric : struct, IScanMetric
    {
        int dim = codes.Dimension;
        float[] values = codes.Values, norms = codes.InverseNorms;
        for (int p = firstPanel; p < endPanel; p++)
            for (int lane = 0; lane < CodePanels.Width; lane++)
            {
                int slot = p * CodePanels.Width + lane;
                for (int b = 0; b < QueryBlock; b++)
                {
                    float sum = 0;
                    for (int j = 0; j < dim; j++) sum = TMetric.Accumulate(sum, values[(p * dim + j) * CodePanels.Width + lane], queries[b * dim + j]);
                    heaps[b].Offer(TMetric.Score(sum, norms[slot]), slot);
                }
            }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Offer(TopK heap, Vector512<float> scores, int firstSlot)
    {
        ulong mask = Vector512.LessThanOrEqual(scores, Vector512.Create(heap.Threshold)).ExtractMostSignificantBits();
        while (mask != 0)
        {
            int lane = BitOperations.TrailingZeroCount(mask);
            heap.Offer(scores.GetElement(lane), firstSlot + lane);
            mask &= mask - 1;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Offer(TopK heap, Vector256<float> scores, int firstSlot)
    {
        uint mask = Vector256.LessThanOrEqual(scores, Vector256.Create(heap.Threshold)).ExtractMostSignificantBits();
        while (mask != 0)
        {
            int lane = BitOperations.TrailingZeroCount(mask);
            heap.Offer(scores.GetElement(lane), firstSlot + lane);
            mask &= mask - 1;
        }
    }
}
