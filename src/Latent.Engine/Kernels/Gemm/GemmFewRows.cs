using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Latent.Engine.Kernels.Gemm;

/// <summary>
/// Products with only a few rows of C (single-sample inference: 1×784 times a 784×128 weight), computed
/// straight from the operands. The blocked driver would pack all of B, a copy of the whole weight matrix,
/// to produce one row; here B is read once, in the order it is stored.
/// </summary>
/// <remarks>
/// With B stored n×k (a Linear weight) each C entry is a dot product of two contiguous rows; with B stored
/// k×n each C row is a sum of scaled B rows. The rows of C share each block of B while it is in L1. The
/// summation order depends only on the shape, so results do not depend on the thread count.
/// </remarks>
internal static unsafe class GemmFewRows
{
    /// <summary>Products with at most this many rows of C take this path.</summary>
    public const int MaxRows = 4;

    /// <summary>
    /// Least floats of B per thread. A single-sample pass through a 784-128 layer (B = 400 KiB) took 12.3 µs on one
    /// thread every run and 13-37 µs on two: waking the other core costs more than half a read of B saves, and stalls
    /// whenever that core is busy. So only B of 1 MiB and up is shared.
    /// </summary>
    public const long MinBPerThread = 1 << 18;

    /// <summary>
    /// Columns of C computed together: a split across threads must fall on these boundaries, or a column would
    /// move between the vector kernel and the remainder loop and change in the last bits.
    /// </summary>
    public static int ColumnBlock(bool transB) => transB ? 16 : 64;

    /// <summary>Computes <paramref name="p"/> (M ≤ <see cref="MaxRows"/>, K ≥ 1) on the calling thread, epilogue included.</summary>
    public static void Run(in GemmProblem p, GemmPath path)
    {
        // Rows of op(A) must be contiguous: gather them when A is stored transposed.
        float* a = p.A;
        nint lda = p.Lda;
        if (p.TransA)
        {
            a = GemmBuffers.Current.A((nint)p.M * p.K);
            for (int i = 0; i < p.M; i++)
                for (int q = 0; q < p.K; q++) a[i * p.K + q] = p.A[q * p.Lda + i];
            lda = p.K;
        }

        if (p.TransB)
        {
            if (path == GemmPath.Avx512) Dots512(p, a, lda);
            else DotsPortable(p, a, lda);
        }
        else
        {
            if (path == GemmPath.Avx512) RowSums512(p, a, lda);
            else RowSumsPortable(p, a, lda);
        }
        p.ApplyEpilogue(0, p.M, 0, p.N);
    }

    /// <summary>
    /// C[i, j] (+)= A[i, :]·B[j, :] with B stored n×k, sixteen rows of B at a time: sixteen independent sums (enough to
    /// keep both FMA pipes busy), then one transposing reduction of the sixteen vectors into the sixteen results. Summing
    /// each vector on its own cost more than the products when K is small (a 128→784 output layer).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Dots512(in GemmProblem p, float* a, nint lda)
    {
        int n = p.N, k = p.K, j = 0;
        float* results = stackalloc float[16];
        for (; j + 16 <= n; j += 16)
        {
            float* b = p.B + j * p.Ldb;
            nint ldb = p.Ldb;
            for (int i = 0; i < p.M; i++)
            {
                float* x = a + i * lda;
                Vector512<float> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default, s7 = default;
                Vector512<float> s8 = default, s9 = default, s10 = default, s11 = default, s12 = default, s13 = default, s14 = default, s15 = default;
                int q = 0;
                for (; q + 16 <= k; q += 16)
                {
                    Vector512<float> v = Vector512.Load(x + q);
                    float* r = b + q;
                    s0 = Vector512.FusedMultiplyAdd(v, Vector512.Load(r), s0);
                    s1 = Vector512.FusedMultiplyAdd(v, Vector512.Load(r + ldb), s1);
                    s2 = Vector512.FusedMultiplyAdd(v, Vector512.Load(r + 2 * ldb), s2);
                    s3 = Vector512.FusedMultiplyAdd(v, Vector512.Load(r + 3 * ldb), s3);
                    s4 = Vector512.FusedMultiplyAdd(v, Vector512.Load(r + 4 * ldb), s4);
                    s5 = Vector512.FusedMultiplyAdd(v, Vector512.Load(r + 5 * ldb), s5);
                    s6 = Vector512.FusedMultiplyAdd(v, Vector512.Load(r + 6 * ldb), s6);
                    s7 = Vector512.FusedMultiplyAdd(v, Vector512.Load(r + 7 * ldb), s7);
                    s8 = Vector512.FusedMultiplyAdd(v, Vector512.Load(r + 8 * ldb), s8);
                    s9 = Vector512.FusedMultiplyAdd(v, Vector512.Load(r + 9 * ldb), s9);
                    s10 = Vector512.FusedMultiplyAdd(v, Vector512.Load(r + 10 * ldb), s10);
                    s11 = Vector512.FusedMultiplyAdd(v, Vector512.Load(r + 11 * ldb), s11);
                    s12 = Vector512.FusedMultiplyAdd(v, Vector512.Load(r + 12 * ldb), s12);
                    s13 = Vector512.FusedMultiplyAdd(v, Vector512.Load(r + 13 * ldb), s13);
                    s14 = Vector512.FusedMultiplyAdd(v, Vector512.Load(r + 14 * ldb), s14);
                    s15 = Vector512.FusedMultiplyAdd(v, Vector512.Load(r + 15 * ldb), s15);
                }
                Vector512<float> sums = SumEach(
                    SumEachOfFour(s0, s1, s2, s3), SumEachOfFour(s4, s5, s6, s7), SumEachOfFour(s8, s9, s10, s11), SumEachOfFour(s12, s13, s14, s15));
                sums.Store(results);
                for (; q < k; q++)
                    for (int r = 0; r < 16; r++) results[r] += x[q] * b[r * ldb + q];
                float* c = p.C + i * p.Ldc + j;
                for (int r = 0; r < 16; r++) c[r] = p.Accumulate ? c[r] + results[r] : results[r];
            }
        }
        for (; j < n; j++)
            for (int i = 0; i < p.M; i++)
                Store(p, i, j, TensorPrimitives.Dot(new ReadOnlySpan<float>(a + i * lda, k), new ReadOnlySpan<float>(p.B + j * p.Ldb, k)));
    }

    /// <summary>
    /// Four vectors to one whose 128-bit lane l holds, in its four floats, the sums of lane l of s0, s1, s2 and s3.
    /// </summary>
    private static Vector512<float> SumEachOfFour(Vector512<float> s0, Vector512<float> s1, Vector512<float> s2, Vector512<float> s3)
    {
        // Per lane: (s0₀+s0₂, s1₀+s1₂, s0₁+s0₃, s1₁+s1₃), the same for s2, s3; then pair the halves.
        Vector512<float> t01 = Avx512F.UnpackLow(s0, s1) + Avx512F.UnpackHigh(s0, s1);
        Vector512<float> t23 = Avx512F.UnpackLow(s2, s3) + Avx512F.UnpackHigh(s2, s3);
        return Avx512F.Shuffle(t01, t23, 0x44) + Avx512F.Shuffle(t01, t23, 0xEE);
    }

    /// <summary>Four results of <see cref="SumEachOfFour"/> to the sixteen totals, in order: the four lanes of each summed.</summary>
    private static Vector512<float> SumEach(Vector512<float> w0, Vector512<float> w1, Vector512<float> w2, Vector512<float> w3)
    {
        // Lanes (0, 2 | 0, 2) plus lanes (1, 3 | 1, 3) of two vectors, twice.
        Vector512<float> u01 = Avx512F.Shuffle4x128(w0, w1, 0x88) + Avx512F.Shuffle4x128(w0, w1, 0xDD);
        Vector512<float> u23 = Avx512F.Shuffle4x128(w2, w3, 0x88) + Avx512F.Shuffle4x128(w2, w3, 0xDD);
        return Avx512F.Shuffle4x128(u01, u23, 0x88) + Avx512F.Shuffle4x128(u01, u23, 0xDD);
    }

    /// <summary>C[i, :] (+)= Σ_q A[i, q]·B[q, :] with B stored k×n, 64 columns (four vectors) at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RowSums512(in GemmProblem p, float* a, nint lda)
    {
        int n = p.N, k = p.K, j = 0;
        for (; j + 64 <= n; j += 64)
        {
            for (int i = 0; i < p.M; i++)
            {
                float* x = a + i * lda, b = p.B + j;
                Vector512<float> s0 = default, s1 = default, s2 = default, s3 = default;
                for (int q = 0; q < k; q++, b += p.Ldb)
                {
                    var v = Vector512.Create(x[q]);
                    s0 = Vector512.FusedMultiplyAdd(v, Vector512.Load(b), s0);
                    s1 = Vector512.FusedMultiplyAdd(v, Vector512.Load(b + 16), s1);
                    s2 = Vector512.FusedMultiplyAdd(v, Vector512.Load(b + 32), s2);
                    s3 = Vector512.FusedMultiplyAdd(v, Vector512.Load(b + 48), s3);
                }
                float* c = p.C + i * p.Ldc + j;
                if (p.Accumulate)
                {
                    s0 += Vector512.Load(c);
                    s1 += Vector512.Load(c + 16);
                    s2 += Vector512.Load(c + 32);
                    s3 += Vector512.Load(c + 48);
                }
                s0.Store(c);
                s1.Store(c + 16);
                s2.Store(c + 32);
                s3.Store(c + 48);
            }
        }
        if (j < n) RowSumsPortable(p.Columns(j, n), a, lda);
    }

    private static void DotsPortable(in GemmProblem p, float* a, nint lda)
    {
        for (int j = 0; j < p.N; j++)
            for (int i = 0; i < p.M; i++)
                Store(p, i, j, TensorPrimitives.Dot(new ReadOnlySpan<float>(a + i * lda, p.K), new ReadOnlySpan<float>(p.B + j * p.Ldb, p.K)));
    }

    private static void RowSumsPortable(in GemmProblem p, float* a, nint lda)
    {
        for (int i = 0; i < p.M; i++)
        {
            var c = new Span<float>(p.C + i * p.Ldc, p.N);
            float[] sum = TensorPool.Rent(p.N);
            Span<float> s = sum.AsSpan(0, p.N);
            s.Clear();
            for (int q = 0; q < p.K; q++)
                TensorPrimitives.MultiplyAdd(new ReadOnlySpan<float>(p.B + q * p.Ldb, p.N), a[i * lda + q], s, s);
            if (p.Accumulate) TensorPrimitives.Add(c, s, c);
            else s.CopyTo(c);
            TensorPool.Return(sum);
        }
    }

    private static void Store(in GemmProblem p, int i, int j, float value)
    {
        float* c = p.C + i * p.Ldc + j;
        *c = p.Accumulate ? *c + value : value;
    }
}
