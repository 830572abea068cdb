using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Latent.Engine.Kernels.Simd;

namespace Latent.Applications.Search;

/// <summary>
/// The score of one pair of codes, on the scale of <see cref="PanelScan"/>: the squared Euclidean distance, or for
/// cosine the negated dot product of unit vectors. Both spans must have the same length (not checked).
/// </summary>
/// <remarks>
/// Our own loop rather than <c>TensorPrimitives.Dot</c>: at the usual code sizes (16, 32, 64 values) it takes about half
/// the time, and <c>TensorPrimitives</c> has no squared distance (<c>Distance</c> takes the square root). The terms are
/// the scan metrics'.
/// </remarks>
internal static class PairDistance
{
    public static float Score(DistanceMetric metric, ReadOnlySpan<float> a, ReadOnlySpan<float> b) =>
        metric == DistanceMetric.Euclidean ? SquaredEuclidean(a, b) : -Dot(a, b);

    public static float SquaredEuclidean(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => Sum<SquaredEuclideanScan>(a, b);

    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => Sum<NegativeCosineScan>(a, b);

    /// <summary>
    /// The sum of <typeparamref name="TMetric"/>'s terms: with the widest accelerated vectors that fit at least once,
    /// then one value at a time.
    /// </summary>
    // Compiled straight to optimised code: through tiered PGO the JIT left the 16-float loop below uninverted when it was
    // inlined here, about 10% slower on codes of 16 values than the loop written out per width.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float Sum<TMetric>(ReadOnlySpan<float> a, ReadOnlySpan<float> b) where TMetric : struct, IScanMetric
    {
        if (Vector512.IsHardwareAccelerated && a.Length >= Vector512<float>.Count) return Sum<TMetric, Vector512Width, Vector512<float>>(a, b);
        if (Vector256.IsHardwareAccelerated && a.Length >= Vector256<float>.Count) return Sum<TMetric, Vector256Width, Vector256<float>>(a, b);
        return Tail<TMetric>(ref MemoryMarshal.GetReference(a), ref MemoryMarshal.GetReference(b), 0, a.Length, 0f);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Sum<TMetric, TWidth, TVector>(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
        where TMetric : struct, IScanMetric where TWidth : struct, IVectorWidth<TVector> where TVector : struct
    {
        ref float x = ref MemoryMarshal.GetReference(a);
        ref float y = ref MemoryMarshal.GetReference(b);
        int n = a.Length, lanes = TWidth.Count, i = 0;
        TVector s = default;
        for (; i <= n - lanes; i += lanes)
            s = TMetric.Accumulate<TWidth, TVector>(s, TWidth.LoadUnsafe(ref x, (nuint)i), TWidth.LoadUnsafe(ref y, (nuint)i));
        return Tail<TMetric>(ref x, ref y, i, n, TWidth.Sum(s));
    }

    /// <summary>sum + the terms of values i to n − 1, each rounded before it is added.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Tail<TMetric>(ref float x, ref float y, int i, int n, float sum) where TMetric : struct, IScanMetric
    {
        for (; i < n; i++) sum += TMetric.Term(Unsafe.Add(ref x, i), Unsafe.Add(ref y, i));
        return sum;
    }
}
