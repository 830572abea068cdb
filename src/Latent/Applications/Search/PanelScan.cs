using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Latent.Engine.Kernels.Simd;

namespace Latent.Applications.Search;

/// <summary>
/// The inner loop of exact search: scores <see cref="QueryBlock"/> queries against every code of a range of
/// panels and offers each score to that query's heap. Four queries share each load of the codes; a SIMD compare
/// against the heaps' thresholds skips almost every candidate without leaving registers.
/// </summary>
internal static class PanelScan
{
    public const int QueryBlock = 4;

    /// <summary>Scans with the widest accelerated vectors (one lane at a time where none is).</summary>
    /// <param name="codes">The codes.</param>
    /// <param name="queries"><see cref="QueryBlock"/> queries of <see cref="CodePanels.Dimension"/> values, one after another.</param>
    /// <param name="firstPanel">First panel scanned.</param>
    /// <param name="endPanel">One past the last panel scanned.</param>
    /// <param name="heaps">One heap per query.</param>
    public static void Scan<TMetric>(CodePanels codes, ReadOnlySpan<float> queries, int firstPanel, int endPanel, TopK[] heaps)
        where TMetric : struct, IScanMetric
    {
        if (Vector512.IsHardwareAccelerated) Scan<TMetric, Vector512Width, Vector512<float>>(codes, queries, firstPanel, endPanel, heaps);
        else if (Vector256.IsHardwareAccelerated) Scan<TMetric, Vector256Width, Vector256<float>>(codes, queries, firstPanel, endPanel, heaps);
        else Scan<TMetric, ScalarWidth, float>(codes, queries, firstPanel, endPanel, heaps);
    }

    /// <summary>
    /// <see cref="Scan{TMetric}"/> with vectors of one width: each panel in strips of <c>TWidth.Count</c> of its
    /// <see cref="CodePanels.Width"/> rows. A row's sum runs over its values in order, so scores do not depend on the width.
    /// </summary>
    internal static void Scan<TMetric, TWidth, TVector>(CodePanels codes, ReadOnlySpan<float> queries, int firstPanel, int endPanel, TopK[] heaps)
        where TMetric : struct, IScanMetric where TWidth : struct, IVectorWidth<TVector> where TVector : struct
    {
        int dim = codes.Dimension;
        ref float values = ref codes.Values;
        ref float norms = ref MemoryMarshal.GetReference(codes.InverseNorms);
        ref float q0 = ref MemoryMarshal.GetReference(queries);
        ref float q1 = ref Unsafe.Add(ref q0, dim), q2 = ref Unsafe.Add(ref q1, dim), q3 = ref Unsafe.Add(ref q2, dim);
        for (int p = firstPanel; p < endPanel; p++)
        {
            ref float panel = ref Unsafe.Add(ref values, (nint)p * dim * CodePanels.Width);
            for (int strip = 0; strip < CodePanels.Width; strip += TWidth.Count)
            {
                TVector s0 = default, s1 = default, s2 = default, s3 = default;
                for (int j = 0; j < dim; j++)
                {
                    TVector x = TWidth.LoadUnsafe(ref panel, (nuint)(j * CodePanels.Width + strip));
                    s0 = TMetric.Accumulate<TWidth, TVector>(s0, x, TWidth.Create(Unsafe.Add(ref q0, j)));
                    s1 = TMetric.Accumulate<TWidth, TVector>(s1, x, TWidth.Create(Unsafe.Add(ref q1, j)));
                    s2 = TMetric.Accumulate<TWidth, TVector>(s2, x, TWidth.Create(Unsafe.Add(ref q2, j)));
                    s3 = TMetric.Accumulate<TWidth, TVector>(s3, x, TWidth.Create(Unsafe.Add(ref q3, j)));
                }
                int slot = p * CodePanels.Width + strip;
                TVector inverse = TWidth.LoadUnsafe(ref norms, (nuint)slot);
                Offer<TWidth, TVector>(heaps[0], TMetric.Score<TWidth, TVector>(s0, inverse), slot);
                Offer<TWidth, TVector>(heaps[1], TMetric.Score<TWidth, TVector>(s1, inverse), slot);
                Offer<TWidth, TVector>(heaps[2], TMetric.Score<TWidth, TVector>(s2, inverse), slot);
                Offer<TWidth, TVector>(heaps[3], TMetric.Score<TWidth, TVector>(s3, inverse), slot);
            }
        }
    }

    /// <summary>Offers the lanes whose score passes the heap's threshold, found with one compare.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Offer<TWidth, TVector>(TopK heap, TVector scores, int firstSlot)
        where TWidth : struct, IVectorWidth<TVector> where TVector : struct
    {
        ulong mask = TWidth.LessThanOrEqualBits(scores, TWidth.Create(heap.Threshold));
        while (mask != 0)
        {
            int lane = BitOperations.TrailingZeroCount(mask);
            heap.Offer(TWidth.GetElement(scores, lane), firstSlot + lane);
            mask &= mask - 1;
        }
    }
}
