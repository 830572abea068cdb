using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Latent.Engine.Kernels.Gemm;

/// <summary>
/// Copies a block of A or B into the order the micro-kernel reads: strips of <c>width</c> lanes (MR rows of A
/// or NR columns of B), each strip stored step by step (for every p of the kc steps, its width lanes next to
/// each other). Lanes past the end of the matrix are zero, so edge tiles need no special kernel.
/// </summary>
/// <remarks>
/// A and B are the same problem seen from two sides: a lane is a row of A or a column of B, a step is an
/// index along K. In memory either the steps of one lane are contiguous ("lane-major": A untransposed,
/// B transposed) or the lanes of one step are (A transposed, B untransposed).
/// </remarks>
internal static unsafe class GemmPacking
{
    /// <summary>Packs the mc×kc block of A at <paramref name="a"/> into MR-row slivers.</summary>
    public static void PackA(int mc, int kc, int mr, float* a, nint lda, bool transA, float* dst) =>
        Pack(kc, mc, mr, a, lda, laneMajor: !transA, dst);

    /// <summary>Packs the kc×nc block of B at <paramref name="b"/> into NR-column panels.</summary>
    public static void PackB(int kc, int nc, int nr, float* b, nint ldb, bool transB, float* dst) =>
        Pack(kc, nc, nr, b, ldb, laneMajor: transB, dst);

    /// <summary>
    /// Packs <paramref name="lanes"/> lanes of <paramref name="steps"/> steps each into strips of
    /// <paramref name="width"/> lanes. Lane-major: element (lane, step) is at src[lane·ld + step]; otherwise at
    /// src[step·ld + lane].
    /// </summary>
    public static void Pack(int steps, int lanes, int width, float* src, nint ld, bool laneMajor, float* dst)
    {
        for (int lane0 = 0; lane0 < lanes; lane0 += width)
        {
            int valid = Math.Min(width, lanes - lane0);
            float* strip = dst + (nint)lane0 * steps;
            if (laneMajor) PackLaneMajor(steps, width, valid, src + lane0 * ld, ld, strip);
            else PackStepMajor(steps, width, valid, src + lane0, ld, strip);
        }
    }

    /// <summary>One strip whose lanes are contiguous for each step: a row copy per step.</summary>
    private static void PackStepMajor(int steps, int width, int valid, float* src, nint ld, float* dst)
    {
        if (valid == width && width % 8 == 0 && Vector256.IsHardwareAccelerated)
        {
            for (int p = 0; p < steps; p++, src += ld, dst += width)
                for (int q = 0; q < width; q += 8)
                    Vector256.Store(Vector256.Load(src + q), dst + q);
            return;
        }
        for (int p = 0; p < steps; p++, src += ld, dst += width)
        {
            int q = 0;
            for (; q < valid; q++) dst[q] = src[q];
            for (; q < width; q++) dst[q] = 0f;
        }
    }

    /// <summary>One strip whose steps are contiguous for each lane: a transpose, 8×8 blocks at a time.</summary>
    private static void PackLaneMajor(int steps, int width, int valid, float* src, nint ld, float* dst)
    {
        int p0 = 0;
        if (valid == width && width % 8 == 0 && Avx.IsSupported)
        {
            for (; p0 <= steps - 8; p0 += 8)
                for (int g = 0; g < width; g += 8)
                    Transpose8x8(src + g * ld + p0, ld, dst + (nint)p0 * width + g, width);
        }
        for (int r = 0; r < valid; r++)
        {
            float* lane = src + r * ld;
            for (int p = p0; p < steps; p++) dst[(nint)p * width + r] = lane[p];
        }
        for (int r = valid; r < width; r++)
            for (int p = p0; p < steps; p++) dst[(nint)p * width + r] = 0f;
    }

    /// <summary>Writes the transpose of the 8×8 block at <paramref name="src"/> (row stride ld) to dst (row stride ldd).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8x8(float* src, nint ld, float* dst, nint ldd)
    {
        Vector256<float> r0 = Avx.LoadVector256(src), r1 = Avx.LoadVector256(src + ld);
        Vector256<float> r2 = Avx.LoadVector256(src + 2 * ld), r3 = Avx.LoadVector256(src + 3 * ld);
        Vector256<float> r4 = Avx.LoadVector256(src + 4 * ld), r5 = Avx.LoadVector256(src + 5 * ld);
        Vector256<float> r6 = Avx.LoadVector256(src + 6 * ld), r7 = Avx.LoadVector256(src + 7 * ld);

        // Interleave pairs of rows, then pairs of pairs, within each 128-bit half ...
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1);
        Vector256<float> t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5);
        Vector256<float> t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
        Vector256<float> s0 = Avx.Shuffle(t0, t2, 0x44), s1 = Avx.Shuffle(t0, t2, 0xEE);
        Vector256<float> s2 = Avx.Shuffle(t1, t3, 0x44), s3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> s4 = Avx.Shuffle(t4, t6, 0x44), s5 = Avx.Shuffle(t4, t6, 0xEE);
        Vector256<float> s6 = Avx.Shuffle(t5, t7, 0x44), s7 = Avx.Shuffle(t5, t7, 0xEE);

        // ... then join the halves: columns 0-3 from the low halves, 4-7 from the high ones.
        Avx.Store(dst, Avx.Permute2x128(s0, s4, 0x20));
        Avx.Store(dst + ldd, Avx.Permute2x128(s1, s5, 0x20));
        Avx.Store(dst + 2 * ldd, Avx.Permute2x128(s2, s6, 0x20));
        Avx.Store(dst + 3 * ldd, Avx.Permute2x128(s3, s7, 0x20));
        Avx.Store(dst + 4 * ldd, Avx.Permute2x128(s0, s4, 0x31));
        Avx.Store(dst + 5 * ldd, Avx.Permute2x128(s1, s5, 0x31));
        Avx.Store(dst + 6 * ldd, Avx.Permute2x128(s2, s6, 0x31));
        Avx.Store(dst + 7 * ldd, Avx.Permute2x128(s3, s7, 0x31));
    }
}
