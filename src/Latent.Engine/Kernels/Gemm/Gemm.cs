using System.Runtime.Intrinsics;
using Latent.Engine.Diagnostics;
using System.Runtime.Intrinsics.X86;

namespace Latent.Engine.Kernels.Gemm;

/// <summary>
/// Packed, register-blocked float32 matrix product: C = op(A)·op(B) (+ C), then an optional bias and activation
/// per column. Goto/BLIS structure (see <see cref="GemmBlocked"/>) with AVX-512, AVX2/FMA and portable
/// micro-kernels; large products are split over output blocks across threads.
/// </summary>
/// <remarks>
/// Deterministic: every element of C is summed over K in the same order whatever the thread count and split,
/// so a given path gives bit-identical results for any number of threads. Paths differ in the last bits
/// (fused or unfused multiply-add). NaN and infinity propagate as in IEEE arithmetic; C must not overlap A, B
/// or the bias. Packing buffers are per thread and reused, so a warm call allocates nothing.
/// </remarks>
internal static unsafe class Gemm
{
    /// <summary>
    /// Least work per thread: a product of f FLOP uses at most f / this many threads, so products under 20 MFLOP
    /// stay on the calling thread. A product repeated on its own gains 1.65-1.8× on 2 threads from 1-2 MFLOP up, but in
    /// a network the next operation reads the other core's share of C from that core's cache, which costs more than
    /// the split saves on small products: a single-image pass through the convolutional denoiser took 383 µs on 2
    /// threads and 294 µs on 1 with a 1 MFLOP threshold, the same on both with this one.
    /// </summary>
    public const double MinFlopPerThread = 1e7;

    private static readonly GemmPath Best =
        IsSupported(GemmPath.Avx512) ? GemmPath.Avx512 : IsSupported(GemmPath.Avx2) ? GemmPath.Avx2 : GemmPath.Portable;

    [ThreadStatic] private static ParallelMultiply? _job;

    /// <summary>Whether this CPU (and runtime) can run <paramref name="path"/>; <see cref="GemmPath.Auto"/> always can.</summary>
    public static bool IsSupported(GemmPath path) => path switch
    {
        GemmPath.Auto or GemmPath.Portable => true,
        GemmPath.Avx512 => Vector512.IsHardwareAccelerated && Avx512F.IsSupported,
        GemmPath.Avx2 => Avx2.IsSupported && Fma.IsSupported,
        _ => false,
    };

    /// <summary>
    /// C[m,n] (row stride <paramref name="ldc"/>) = op(A)·op(B), plus the old C when <paramref name="accumulate"/>
    /// is true; then the epilogue (bias per column + activation) is applied to each finished block of C while it
    /// is hot in cache. A is m×k row-major with row stride <paramref name="lda"/>, or, when
    /// <paramref name="transA"/>, stored k×m (A = stored<sup>T</sup>). B is k×n with stride <paramref name="ldb"/>,
    /// or, when <paramref name="transB"/>, stored n×k.
    /// </summary>
    /// <param name="path">Micro-kernel to use; <see cref="GemmPath.Auto"/> picks the widest supported.</param>
    /// <param name="threads">Threads to use at most; 0 means <see cref="Parallelism.Threads"/>. Small products always run on the calling thread.</param>
    /// <remarks>
    /// m, n or k may be 0; with k = 0, C becomes 0 (or stays as it is when accumulating) and then gets the epilogue.
    /// Only the m×n entries of C addressed by ldc are read or written.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">A size is negative, or a stride is smaller than its row.</exception>
    /// <exception cref="ArgumentNullException">An operand that would be read or written is null.</exception>
    /// <exception cref="PlatformNotSupportedException">The CPU cannot run <paramref name="path"/>.</exception>
    public static void Multiply(int m, int n, int k, float* a, int lda, bool transA, float* b, int ldb, bool transB,
        float* c, int ldc, bool accumulate, GemmEpilogue epilogue = default, GemmPath path = GemmPath.Auto,
        int threads = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        ArgumentOutOfRangeException.ThrowIfNegative(threads);
        ArgumentOutOfRangeException.ThrowIfLessThan(lda, Math.Max(1, transA ? m : k));
        ArgumentOutOfRangeException.ThrowIfLessThan(ldb, Math.Max(1, transB ? k : n));
        ArgumentOutOfRangeException.ThrowIfLessThan(ldc, Math.Max(1, n));
        GemmPath resolved = Resolve(path);
        if (m == 0 || n == 0) return;
        using var profile = StepProfiler.Measure(WorkKind.Gemm);
        if (c == null) throw new ArgumentNullException(nameof(c));

        var problem = new GemmProblem
        {
            M = m, N = n, K = k, A = a, Lda = lda, TransA = transA, B = b, Ldb = ldb, TransB = transB,
            C = c, Ldc = ldc, Accumulate = accumulate, Epilogue = epilogue,
        };
        if (k == 0)
        {
            if (!accumulate)
                for (int i = 0; i < m; i++) new Span<float>(c + (nint)i * ldc, n).Clear();
            problem.ApplyEpilogue(0, m, 0, n);
            return;
        }
        if (a == null) throw new ArgumentNullException(nameof(a));
        if (b == null) throw new ArgumentNullException(nameof(b));
        int maxThreads = threads > 0 ? threads : Parallelism.Threads;
        if (m <= GemmFewRows.MaxRows)
        {
            // Reading B is the whole cost: with several cores, each reads its share of B's columns
            // (and keeps it in its own L2 from one call to the next).
            int unit = GemmFewRows.ColumnBlock(transB), blocks = (n + unit - 1) / unit;
            int share = (int)Math.Clamp((long)n * k / GemmFewRows.MinBPerThread, 1, Math.Min(maxThreads, blocks));
            RunParallel(problem, resolved, fewRows: true, splitColumns: true, unit, blocks, share);
            return;
        }

        // Split C into bands of whole tiles, one per thread; each thread packs its share of one operand and all
        // of the other, so split the side that makes the smaller operand the duplicated one (columns: A is
        // packed by every thread), unless that side has too few tiles. Never split K: the summation order,
        // hence the result, does not depend on the split.
        var (mr, nr) = TileOf(resolved);
        int wanted = (int)Math.Clamp(2.0 * m * n * k / MinFlopPerThread, 1, maxThreads);
        int rowTiles = (m + mr - 1) / mr, columnTiles = (n + nr - 1) / nr;
        bool splitColumns = n >= m ? columnTiles >= wanted || columnTiles >= rowTiles : rowTiles < wanted && columnTiles > rowTiles;
        int tiles = splitColumns ? columnTiles : rowTiles;
        int parts = Math.Min(wanted, tiles);
        RunParallel(problem, resolved, fewRows: false, splitColumns, splitColumns ? nr : mr, tiles, parts);
    }

    /// <summary>Runs <paramref name="problem"/> as <paramref name="parts"/> bands of whole tiles (the calling thread alone when 1).</summary>
    private static void RunParallel(in GemmProblem problem, GemmPath path, bool fewRows, bool splitColumns, int unit, int tiles, int parts)
    {
        if (parts <= 1)
        {
            RunSerial(path, fewRows, problem);
            return;
        }
        ParallelMultiply job = _job ??= new ParallelMultiply();
        job.Set(problem, path, fewRows, splitColumns, unit, tiles, parts);
        WorkerPool.Run(job, parts);
        job.Set(default, path, false, false, 1, 1, 1);   // drop the caller's pointers
    }

    /// <summary>
    /// Dense overload: A is m×k (k×m when <paramref name="transA"/>), B is k×n (n×k when
    /// <paramref name="transB"/>) and C is m×n, all row-major without padding. See the pointer overload.
    /// </summary>
    /// <exception cref="ArgumentException">A span is shorter than its dimensions require, or C overlaps A or B.</exception>
    public static void Multiply(int m, int n, int k, ReadOnlySpan<float> a, bool transA, ReadOnlySpan<float> b,
        bool transB, Span<float> c, bool accumulate, GemmEpilogue epilogue = default, GemmPath path = GemmPath.Auto,
        int threads = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        RequireLength(a.Length, (long)m * k, "A", transA ? $"{k}×{m}" : $"{m}×{k}");
        RequireLength(b.Length, (long)k * n, "B", transB ? $"{n}×{k}" : $"{k}×{n}");
        RequireLength(c.Length, (long)m * n, "C", $"{m}×{n}");
        if (c.Overlaps(a) || c.Overlaps(b)) throw new ArgumentException("C must not overlap A or B.", nameof(c));
        fixed (float* pa = a, pb = b, pc = c)
        {
            Multiply(m, n, k, pa, Math.Max(1, transA ? m : k), transA, pb, Math.Max(1, transB ? k : n), transB, pc,
                Math.Max(1, n), accumulate, epilogue, path, threads);
        }
    }

    private static void RequireLength(int length, long required, string name, string shape)
    {
        if (length < required)
            throw new ArgumentException($"{name} must hold {shape} = {required} floats but has {length}.", name.ToLowerInvariant());
    }

    private static GemmPath Resolve(GemmPath path)
    {
        if (path == GemmPath.Auto) return Best;
        if (!Enum.IsDefined(path)) throw new ArgumentOutOfRangeException(nameof(path), path, null);
        return IsSupported(path) ? path : throw new PlatformNotSupportedException($"This CPU cannot run the {path} GEMM path.");
    }

    private static (int Mr, int Nr) TileOf(GemmPath path) => path switch
    {
        GemmPath.Avx512 => (MicroKernelAvx512.MR, MicroKernelAvx512.NR),
        GemmPath.Avx2 => (MicroKernelAvx2.MR, MicroKernelAvx2.NR),
        _ => (MicroKernelPortable.MR, MicroKernelPortable.NR),
    };

    /// <summary>
    /// One band on the calling thread. Which algorithm runs depends on the whole product (<paramref name="fewRows"/>),
    /// never on the band, so the summation order and the result do not depend on the split.
    /// </summary>
    private static void RunSerial(GemmPath path, bool fewRows, in GemmProblem problem)
    {
        if (fewRows)
        {
            GemmFewRows.Run(problem, path);
            return;
        }
        switch (path)
        {
            case GemmPath.Avx512: GemmBlocked.Run<MicroKernelAvx512>(problem); break;
            case GemmPath.Avx2: GemmBlocked.Run<MicroKernelAvx2>(problem); break;
            default: GemmBlocked.Run<MicroKernelPortable>(problem); break;
        }
    }

    /// <summary>One product split into bands of whole tiles of C; part i computes band i. Reused per calling thread.</summary>
    private sealed class ParallelMultiply : IParallelJob
    {
        private GemmProblem _problem;
        private GemmPath _path;
        private bool _fewRows, _splitColumns;
        private int _unit, _tiles, _parts;

        public void Set(in GemmProblem problem, GemmPath path, bool fewRows, bool splitColumns, int unit, int tiles, int parts)
        {
            _problem = problem;
            _path = path;
            _fewRows = fewRows;
            _splitColumns = splitColumns;
            _unit = unit;
            _tiles = tiles;
            _parts = parts;
        }

        public void Execute(int part)
        {
            int extent = _splitColumns ? _problem.N : _problem.M;
            int start = (int)((long)_tiles * part / _parts) * _unit;
            int end = Math.Min(extent, (int)((long)_tiles * (part + 1) / _parts) * _unit);
            if (start >= end) return;
            RunSerial(_path, _fewRows, _splitColumns ? _problem.Columns(start, end) : _problem.Rows(start, end));
        }
    }
}
