using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Latent.Engine.Kernels.Convolution;

/// <summary>
/// AVX2 row kernels for the two most common image ops, 2×2 max pooling and ×2 nearest upsampling, which pair up
/// neighbouring columns. Each handles eight output windows per step; the caller finishes the last few scalar.
/// </summary>
/// <remarks>
/// Pairing: for 16 consecutive values x₀…x₁₅ (two vectors), <c>Shuffle(…, 0x88)</c> gives the even ones and
/// <c>0xDD</c> the odd ones, in window order [0, 1, 4, 5, 2, 3, 6, 7]; swapping the middle 64-bit quarters
/// (<c>Permute4x64(…, 0xD8)</c>, its own inverse) converts between that order and window order, and
/// <c>UnpackLow</c>/<c>UnpackHigh</c> of the even and odd vectors give x₀…x₇ and x₈…x₁₅ back.
/// </remarks>
internal static unsafe class PairKernels
{
    public static bool IsSupported => Avx2.IsSupported;

    /// <summary>y[i] = max(r0[2i], r0[2i+1], r1[2i], r1[2i+1]) for i &lt; count (a multiple of 8), NaN propagating.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MaxPool(float* r0, float* r1, float* y, int count)
    {
        for (int i = 0; i < count; i += 8, r0 += 16, r1 += 16)
        {
            Vector256<float> v0 = Max(Avx.LoadVector256(r0), Avx.LoadVector256(r1));
            Vector256<float> v1 = Max(Avx.LoadVector256(r0 + 8), Avx.LoadVector256(r1 + 8));
            Vector256<float> m = Max(Avx.Shuffle(v0, v1, 0x88), Avx.Shuffle(v0, v1, 0xDD));
            Avx.Store(y + i, Avx2.Permute4x64(m.AsDouble(), 0xD8).AsSingle());
        }
    }

    /// <summary>
    /// Backward of <see cref="MaxPool"/>: each window's gradient g[i] goes to the first of its four inputs (r0[2i],
    /// r0[2i+1], r1[2i], r1[2i+1]) equal to the window's output y[i] (the last when none is); all four are written.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MaxPoolBackward(float* r0, float* r1, float* y, float* g, float* d0, float* d1, int count)
    {
        for (int i = 0; i < count; i += 8, r0 += 16, r1 += 16, d0 += 16, d1 += 16)
        {
            Vector256<float> top0 = Avx.LoadVector256(r0), top1 = Avx.LoadVector256(r0 + 8);
            Vector256<float> bottom0 = Avx.LoadVector256(r1), bottom1 = Avx.LoadVector256(r1 + 8);
            Vector256<float> a = Avx.Shuffle(top0, top1, 0x88), b = Avx.Shuffle(top0, top1, 0xDD);
            Vector256<float> c = Avx.Shuffle(bottom0, bottom1, 0x88), d = Avx.Shuffle(bottom0, bottom1, 0xDD);
            Vector256<float> m = Avx2.Permute4x64(Avx.LoadVector256(y + i).AsDouble(), 0xD8).AsSingle();
            Vector256<float> grad = Avx2.Permute4x64(Avx.LoadVector256(g + i).AsDouble(), 0xD8).AsSingle();
            Vector256<float> isA = Avx.CompareEqual(a, m);
            Vector256<float> isB = Avx.AndNot(isA, Avx.CompareEqual(b, m));
            Vector256<float> taken = Avx.Or(isA, isB);
            Vector256<float> isC = Avx.AndNot(taken, Avx.CompareEqual(c, m));
            Vector256<float> isD = Avx.AndNot(Avx.Or(taken, isC), Vector256<float>.AllBitsSet);
            Vector256<float> ga = Avx.And(isA, grad), gb = Avx.And(isB, grad), gc = Avx.And(isC, grad), gd = Avx.And(isD, grad);
            Avx.Store(d0, Avx.UnpackLow(ga, gb));
            Avx.Store(d0 + 8, Avx.UnpackHigh(ga, gb));
            Avx.Store(d1, Avx.UnpackLow(gc, gd));
            Avx.Store(d1 + 8, Avx.UnpackHigh(gc, gd));
        }
    }

    /// <summary>dst[2i] = dst[2i+1] = src[i] for i &lt; count (a multiple of 8).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Double(float* src, float* dst, int count)
    {
        for (int i = 0; i < count; i += 8, dst += 16)
        {
            Vector256<float> s = Avx.LoadVector256(src + i);
            Vector256<float> low = Avx.UnpackLow(s, s), high = Avx.UnpackHigh(s, s);
            Avx.Store(dst, Avx.Permute2x128(low, high, 0x20));
            Avx.Store(dst + 8, Avx.Permute2x128(low, high, 0x31));
        }
    }

    /// <summary>dst[i] = r0[2i] + r0[2i+1] + r1[2i] + r1[2i+1] for i &lt; count (a multiple of 8): the backward of ×2 upsampling.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SumPairs(float* r0, float* r1, float* dst, int count)
    {
        for (int i = 0; i < count; i += 8, r0 += 16, r1 += 16)
        {
            Vector256<float> v0 = Avx.Add(Avx.LoadVector256(r0), Avx.LoadVector256(r1));
            Vector256<float> v1 = Avx.Add(Avx.LoadVector256(r0 + 8), Avx.LoadVector256(r1 + 8));
            Avx.Store(dst + i, Avx2.Permute4x64(Avx.HorizontalAdd(v0, v1).AsDouble(), 0xD8).AsSingle());
        }
    }

    /// <summary>Maximum that propagates a NaN in either operand (maxps alone drops a NaN in its first operand).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Max(Vector256<float> a, Vector256<float> b) =>
        Avx.BlendVariable(Avx.Max(a, b), a, Avx.CompareUnordered(a, a));
}
