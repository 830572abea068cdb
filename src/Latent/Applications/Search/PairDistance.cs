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
/// the time, and <c>TensorPrimitives</c> has no squared distance (<c>Distance</c> takes the square root). The vector
/// steps are the scan metrics' <c>Accumulate</c>; the scalar tail rounds each product and each sum separately.
/// </remarks>
internal static class PairDistance
{
    public static float Score(DistanceMetric metric, ReadOnlySpan<float> a, ReadOnlySpan<float> b) =>
        metric == DistanceMetric.Euclidean ? SquaredEuclidean(a, b) : -Dot(a, b);

    public static float SquaredEuclidean(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        ref float x = ref MemoryMarshal.GetReference(a);
        ref float y = ref MemoryMarshal.GetReference(b);
        float sum = VectorSum<SquaredEuclideanScan>(ref x, ref y, a.Length, out int i);
        for (; i < a.Length; i++)
        {
            float d = Unsafe.Add(ref x, i) - Unsafe.Add(ref y, i);
            sum += d * d;
        }
        return sum;
    }

    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        ref float x = ref MemoryMarshal.GetReference(a);
        ref float y = ref MemoryMarshal.GetReference(b);
        float sum = VectorSum<NegativeCosineScan>(ref x, ref y, a.Length, out int i);
        for (; i < a.Length; i++) sum += Unsafe.Add(ref x, i) * Unsafe.Add(ref y, i);
        return sum;
    }

    /// <summary>
    /// The sum of <typeparamref name="TMetric"/>'s terms over the whole vectors at the start of x and y, with the widest
    /// accelerated vectors that fit at least once (0 when none does); <paramref name="done"/> is how many values that covered.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float VectorSum<TMetric>(ref float x, ref float y, int n, out int done) where TMetric : struct, IScanMetric
    {
        if (Vector512.IsHardwareAccelerated && n >= Vector512<float>.Count)
            return VectorSum<TMetric, Vector512Width, Vector512<float>>(ref x, ref y, n, out done);
        if (Vector256.IsHardwareAccelerated && n >= Vector256<float>.Count)
            return VectorSum<TMetric, Vector256Width, Vector256<float>>(ref x, ref y, n, out done);
        done = 0;
        return 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float VectorSum<TMetric, TWidth, TVector>(ref float x, ref float y, int n, out int done)
        where TMetric : struct, IScanMetric where TWidth : struct, IVectorWidth<TVector> where TVector : struct
    {
        TVector s = default;
        int i = 0;
        for (; i <= n - TWidth.Count; i += TWidth.Count)
            s = TMetric.Accumulate<TWidth, TVector>(s, TWidth.LoadUnsafe(ref x, (nuint)i), TWidth.LoadUnsafe(ref y, (nuint)i));
        done = i;
        return TWidth.Sum(s);
    }
}
