using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Latent.Engine.Kernels.Convolution;

/// <summary>
/// AVX-512 versions of <see cref="PairKernels"/>' forward row kernels that also do the end of a row with masked loads
/// and stores, so that short rows (14 or 28 values in small images) need no scalar tail: 16 output windows per step.
/// </summary>
/// <remarks>
/// Pairing: of 32 consecutive values in two vectors, a two-source permute picks the even ones (indices 0, 2, …, 30)
/// or the odd ones; doubling permutes each half of one vector to x₀x₀x₁x₁….
/// </remarks>
internal static unsafe class PairKernels512
{
    private static readonly Vector512<int> Even = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
    private static readonly Vector512<int> Odd = Even + Vector512<int>.One;
    private static readonly Vector512<int> LowTwice = Vector512.Create(0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7);
    private static readonly Vector512<int> HighTwice = LowTwice + Vector512.Create(8);

    public static bool IsSupported => Avx512F.IsSupported && Vector512.IsHardwareAccelerated;

    /// <summary>y[i] = max(r0[2i], r0[2i+1], r1[2i], r1[2i+1]) for i &lt; count, NaN propagating.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MaxPool(float* r0, float* r1, float* y, int count)
    {
        for (int i = 0; i < count; i += 16, r0 += 32, r1 += 32)
        {
            int inputs = 2 * Math.Min(16, count - i);
            Vector512<float> low = FirstLanes(inputs), high = FirstLanes(inputs - 16);
            Vector512<float> v0 = Max(Load(r0, low), Load(r1, low));
            Vector512<float> v1 = Max(Load(r0 + 16, high), Load(r1 + 16, high));
            Vector512<float> m = Max(Avx512F.PermuteVar16x32x2(v0, Even, v1), Avx512F.PermuteVar16x32x2(v0, Odd, v1));
            Avx512F.MaskStore(y + i, FirstLanes(inputs / 2), m);
        }
    }

    /// <summary>dst0[2i] = dst0[2i+1] = src[i] for i &lt; count, and the same into dst1 unless it is null (×2 nearest upsampling of one row).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Double(float* src, float* dst0, float* dst1, int count)
    {
        for (int i = 0; i < count; i += 16)
        {
            int n = Math.Min(16, count - i);
            Vector512<float> s = Load(src + i, FirstLanes(n));
            Vector512<float> low = Avx512F.PermuteVar16x32(s, LowTwice), high = Avx512F.PermuteVar16x32(s, HighTwice);
            Vector512<float> lowMask = FirstLanes(2 * n), highMask = FirstLanes(2 * n - 16);
            Avx512F.MaskStore(dst0 + 2 * i, lowMask, low);
            Avx512F.MaskStore(dst0 + 2 * i + 16, highMask, high);
            if (dst1 == null) continue;
            Avx512F.MaskStore(dst1 + 2 * i, lowMask, low);
            Avx512F.MaskStore(dst1 + 2 * i + 16, highMask, high);
        }
    }

    /// <summary>A mask of the first <paramref name="lanes"/> lanes (none when ≤ 0, all when ≥ 16).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> FirstLanes(int lanes) => Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(lanes)).AsSingle();

    /// <summary>The masked lanes from <paramref name="p"/>, zero elsewhere; masked-off lanes are not read.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Load(float* p, Vector512<float> mask) => Avx512F.MaskLoad(p, mask, Vector512<float>.Zero);

    /// <summary>Maximum that propagates a NaN in either operand, like <see cref="PairKernels"/>' (maxps alone drops a NaN in its first operand).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Max(Vector512<float> a, Vector512<float> b) =>
        Vector512.ConditionalSelect(Vector512.IsNaN(a), a, Avx512F.Max(a, b));
}
