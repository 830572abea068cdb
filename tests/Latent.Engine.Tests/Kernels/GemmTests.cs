using Latent.Engine.Kernels.Gemm;

namespace Latent.Engine.Tests.Kernels;

/// <summary>
/// The GEMM against a naive triple loop that accumulates in double, on every path this CPU supports, all four
/// transpose combinations, odd sizes (not multiples of MR, NR or KC = 256), strided operands, accumulation,
/// the epilogue, and 1 to 3 threads.
/// </summary>
public unsafe class GemmTests
{
    // Tolerance, relative to scale = Σₚ|a·b| + |old C| (+|bias|) of each element: float32 has unit roundoff
    // u = 2⁻²⁴ ≈ 6e-8 and the rounding errors of a k-term sum grow like √k·u for random data (k·u is the
    // never-reached worst case). 1e-6·√k leaves a ~16× margin while a single lost or doubled term
    // (≈ scale/k) is still far outside it for every k tested here.
    private const double Tolerance = 1e-6;

    private static readonly GemmPath[] AllPaths = [GemmPath.Avx512, GemmPath.Avx2, GemmPath.Portable];

    public static TheoryData<int, int, int> Shapes()
    {
        var data = new TheoryData<int, int, int>
        {
            { 1, 1, 1 }, { 1, 17, 3 }, { 3, 1, 17 }, { 17, 3, 1 },
            { 1, 130, 784 }, { 2, 67, 33 }, { 4, 5, 17 }, { 5, 70, 40 },   // few rows of C: the unpacked path and just past it { 7, 33, 255 }, { 9, 31, 257 },
            { 255, 257, 400 },   // above the parallel threshold (2 × 20 MFLOP), not a multiple of any tile
            { 1000, 24, 1000 },  // tall: split across threads by rows
            { 16, 1400, 1000 },  // wide: split by columns; K spans four KC slices
            { 64, 64, 513 },     // K spans three KC slices
        };
        var random = new Random(12345);   // plus some random shapes, fixed so failures reproduce
        for (int i = 0; i < 6; i++) data.Add(random.Next(1, 200), random.Next(1, 200), random.Next(1, 300));
        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void MatchesNaiveProduct(int m, int n, int k)
    {
        var random = new Random(m * 1_000_003 + n * 1009 + k);
        for (int t = 0; t < 4; t++)
        {
            bool transA = (t & 1) != 0, transB = (t & 2) != 0;
            float[] a = RandomArray(random, m * k), b = RandomArray(random, k * n), old = RandomArray(random, m * n);
            foreach (bool accumulate in new[] { false, true })
            {
                var (expected, scale) = Naive(m, n, k, a, transA, b, transB, accumulate ? old : null);
                foreach (GemmPath path in SupportedPaths())
                {
                    foreach (int threads in new[] { 1, 2, 3 })
                    {
                        float[] c = (float[])old.Clone();
                        Gemm.Multiply(m, n, k, a, transA, b, transB, c, accumulate, path: path, threads: threads);
                        AssertClose(expected, scale, c, k, $"{path} {m}×{n}×{k} transA={transA} transB={transB} accumulate={accumulate} threads={threads}");
                    }
                }
            }
        }
    }

    [Fact]
    public void StridedOperandsAreReadAndWrittenOnlyInsideTheirRows()
    {
        const int m = 37, n = 45, k = 300, pad = 5;
        var random = new Random(7);
        foreach (GemmPath path in SupportedPaths())
        {
            for (int t = 0; t < 4; t++)
            {
                bool transA = (t & 1) != 0, transB = (t & 2) != 0;
                int lda = (transA ? m : k) + pad, ldb = (transB ? k : n) + pad, ldc = n + pad;
                float[] a = RandomArray(random, (transA ? k : m) * lda);
                float[] b = RandomArray(random, (transB ? n : k) * ldb);
                float[] c = RandomArray(random, m * ldc + pad);
                for (int i = 0; i < m; i++) c.AsSpan(i * ldc + n, pad).Fill(float.NaN);   // row gaps and the tail
                c.AsSpan(m * ldc, pad).Fill(float.NaN);
                float[] dense = Dense(c, m, n, ldc);

                fixed (float* pa = a, pb = b, pc = c)
                    Gemm.Multiply(m, n, k, pa, lda, transA, pb, ldb, transB, pc, ldc, accumulate: true, path: path, threads: 2);

                var (expected, scale) = Naive(m, n, k, Dense(a, transA ? k : m, transA ? m : k, lda), transA,
                    Dense(b, transB ? n : k, transB ? k : n, ldb), transB, dense);
                AssertClose(expected, scale, Dense(c, m, n, ldc), k, $"{path} strided transA={transA} transB={transB}");
                for (int i = 0; i < m; i++)
                    Assert.True(AllNaN(c.AsSpan(i * ldc + n, pad)), $"{path}: the gap after row {i} was written");
                Assert.True(AllNaN(c.AsSpan(m * ldc, pad)), $"{path}: C was written past its end");
            }
        }
    }

    [Theory]
    [InlineData(Activation.Identity)]
    [InlineData(Activation.Relu)]
    [InlineData(Activation.Sigmoid)]
    public void EpilogueAddsBiasPerColumnThenActivates(Activation activation)
    {
        const int m = 130, n = 300, k = 600;   // 47 MFLOP: large enough to be split across threads
        var random = new Random(11);
        float[] a = RandomArray(random, m * k), b = RandomArray(random, n * k), bias = RandomArray(random, n);
        var (sums, scale) = Naive(m, n, k, a, false, b, true, null);
        double[] expected = new double[m * n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double x = sums[i * n + j] + bias[j];
                expected[i * n + j] = activation switch
                {
                    Activation.Relu => Math.Max(x, 0),
                    Activation.Sigmoid => 1 / (1 + Math.Exp(-x)),
                    _ => x,
                };
                scale[i * n + j] += Math.Abs(bias[j]);
            }
        }
        foreach (GemmPath path in SupportedPaths())
        {
            foreach (int threads in new[] { 1, 2 })
            {
                float[] c = new float[m * n];
                fixed (float* pBias = bias)
                    Gemm.Multiply(m, n, k, a, false, b, true, c, false, new GemmEpilogue(pBias, activation, 0f), path, threads);
                AssertClose(expected, scale, c, k, $"{path} {activation} threads={threads}");
            }
        }
    }

    [Fact]
    public void EmptyProductsClearOrKeepCThenApplyTheEpilogue()
    {
        float[] bias = [1f, -2f, 3f];
        float[] c = [5f, 5f, 5f, -7f, -7f, -7f];
        fixed (float* pBias = bias)
        {
            var epilogue = new GemmEpilogue(pBias, Activation.Relu, 0f);
            Gemm.Multiply(2, 3, 0, [], false, [], false, c, accumulate: true, epilogue);
            Assert.Equal([6f, 3f, 8f, 0f, 0f, 0f], c);
            Gemm.Multiply(2, 3, 0, [], false, [], false, c, accumulate: false, epilogue);
            Assert.Equal([1f, 0f, 3f, 1f, 0f, 3f], c);
        }
        Gemm.Multiply(0, 3, 4, [], false, new float[12], false, [], false);
        Gemm.Multiply(2, 0, 4, new float[8], false, [], false, [], false);
    }

    [Theory]
    [InlineData(300, 257, 600, false)]   // 92 MFLOP: blocked, split across threads
    [InlineData(1, 700, 784, false)]     // one row of C: unpacked, B's columns split across threads (B ≥ 2 × MinBPerThread)
    [InlineData(3, 701, 784, true)]      // the same with B stored n×k, as a Linear weight is
    public void ResultDoesNotDependOnThreadCountOrRepetition(int m, int n, int k, bool transB)
    {
        var random = new Random(5);
        float[] a = RandomArray(random, m * k), b = RandomArray(random, k * n);
        foreach (GemmPath path in SupportedPaths())
        {
            float[] first = new float[m * n];
            Gemm.Multiply(m, n, k, a, true, b, transB, first, false, path: path, threads: 2);
            for (int repeat = 0; repeat < 3; repeat++)
            {
                foreach (int threads in new[] { 2, 1 })
                {
                    float[] again = new float[m * n];
                    Gemm.Multiply(m, n, k, a, true, b, transB, again, false, path: path, threads: threads);
                    Assert.True(first.AsSpan().SequenceEqual(again), $"{path}: threads={threads} repeat {repeat} differs bitwise");
                }
            }
        }
    }

    [Fact]
    public void RejectsOperandsThatDoNotMatchTheSizes()
    {
        var error = Assert.Throws<ArgumentException>(() => Gemm.Multiply(2, 3, 4, new float[7], false, new float[12], false, new float[6], false));
        Assert.Contains("2×4 = 8", error.Message);
        error = Assert.Throws<ArgumentException>(() => Gemm.Multiply(2, 3, 4, new float[8], false, new float[12], true, new float[5], false));
        Assert.Contains("2×3 = 6", error.Message);
        float[] shared = new float[20];
        Assert.Throws<ArgumentException>(() => Gemm.Multiply(2, 2, 2, shared.AsSpan(0, 4), false, shared.AsSpan(4, 4), false, shared.AsSpan(2, 4), false));
        Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Multiply(-1, 2, 2, [], false, [], false, [], false));
        fixed (float* p = shared)
        {
            nint address = (nint)p;   // lda = 2 < k = 3
            Assert.Throws<ArgumentOutOfRangeException>(() =>
                Gemm.Multiply(2, 2, 3, (float*)address, 2, false, (float*)address, 2, false, (float*)address, 2, false));
        }
        foreach (GemmPath path in AllPaths.Where(p => !Gemm.IsSupported(p)))
            Assert.Throws<PlatformNotSupportedException>(() => Gemm.Multiply(1, 1, 1, [1f], false, [1f], false, new float[1], false, path: path));
    }

    private static bool AllNaN(Span<float> values)
    {
        foreach (float x in values) if (!float.IsNaN(x)) return false;
        return true;
    }

    private static IEnumerable<GemmPath> SupportedPaths() => AllPaths.Where(Gemm.IsSupported);

    private static float[] RandomArray(Random random, int length)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++) values[i] = random.NextSingle() * 2 - 1;
        return values;
    }

    /// <summary>The rows×columns matrix stored with row stride ld, without its padding.</summary>
    private static float[] Dense(float[] strided, int rows, int columns, int ld)
    {
        var dense = new float[rows * columns];
        for (int i = 0; i < rows; i++) strided.AsSpan(i * ld, columns).CopyTo(dense.AsSpan(i * columns));
        return dense;
    }

    /// <summary>op(A)·op(B) (+ old) in double, and per element the scale Σ|a·b| + |old| its rounding error is relative to.</summary>
    private static (double[] Product, double[] Scale) Naive(int m, int n, int k, float[] a, bool transA, float[] b,
        bool transB, float[]? old)
    {
        var product = new double[m * n];
        var scale = new double[m * n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = old?[i * n + j] ?? 0, abs = Math.Abs(sum);
                for (int p = 0; p < k; p++)
                {
                    double term = (double)(transA ? a[p * m + i] : a[i * k + p]) * (transB ? b[j * k + p] : b[p * n + j]);
                    sum += term;
                    abs += Math.Abs(term);
                }
                product[i * n + j] = sum;
                scale[i * n + j] = abs;
            }
        }
        return (product, scale);
    }

    private static void AssertClose(double[] expected, double[] scale, float[] actual, int k, string what)
    {
        double bound = Tolerance * Math.Sqrt(Math.Max(k, 1));
        for (int i = 0; i < expected.Length; i++)
        {
            double error = Math.Abs(actual[i] - expected[i]);
            if (!(error <= bound * scale[i] + 1e-6))   // + 1e-6 absolute: the activations' own approximation
                Assert.Fail($"{what}: element {i} is {actual[i]}, expected {expected[i]} (error {error:E2}, bound {bound * scale[i]:E2})");
        }
    }
}
