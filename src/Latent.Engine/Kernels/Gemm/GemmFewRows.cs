using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

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
    public static int ColumnBlock(bool transB) => transB ? 4 : 64;

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

    /// <summary>C[i, j] (+)= A[i, :]·B[j, :] with B stored n×k; four rows of B at a time for independent sums.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Dots512(in GemmProblem p, float* a, nint lda)
    {
        int n = p.N, k = p.K, j = 0;
        for (; j + 4 <= n; j += 4)
        {
            float* b0 = p.B + j * p.Ldb, b1 = b0 + p.Ldb, b2 = b1 + p.Ldb, b3 = b2 + p.Ldb;
            for (int i = 0; i < p.M; i++)
            {
                float* x = a + i * lda;
                Vector512<float> s0 = default, s1 = default, s2 = default, s3 = default;
                int q = 0;
                for (; q + 16 <= k; q += 16)
                {
                    Vector512<float> v = Vector512.Load(x + q);
                    s0 = Vector512.FusedMultiplyAdd(v, Vector512.Load(b0 + q), s0);
                    s1 = Vector512.FusedMultiplyAdd(v, Vector512.Load(b1 + q), s1);
                    s2 = Vector512.FusedMultiplyAdd(v, Vector512.Load(b2 + q), s2);
                    s3 = Vector512.FusedMultiplyAdd(v, Vector512.Load(b3 + q), s3);
                }
                float r0 = Vector512.Sum(s0), r1 = Vector512.Sum(s1), r2 = Vector512.Sum(s2), r3 = Vector512.Sum(s3);
                for (; q < k; q++)
                {
                    r0 += x[q] * b0[q];
                    r1 += x[q] * b1[q];
                    r2 += x[q] * b2[q];
                    r3 += x[q] * b3[q];
                }
                Store(p, i, j, r0);
                Store(p, i, j + 1, r1);
                Store(p, i, j + 2, r2);
                Store(p, i, j + 3, r3);
            }
        }
        for (; j < n; j++)
            for (int i = 0; i < p.M; i++)
                Store(p, i, j, TensorPrimitives.Dot(new ReadOnlySpan<float>(a + i * lda, k), new ReadOnlySpan<float>(p.B + j * p.Ldb, k)));
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
