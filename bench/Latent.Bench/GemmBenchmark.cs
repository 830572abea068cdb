using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using Latent.Engine.Kernels.Gemm;

namespace Latent.Bench;

/// <summary>
/// `gemm`: GFLOP/s of our GEMM on the products of the reference's gemm.py (same shapes, transposes and timing
/// method), next to torch.mm with OpenBLAS measured in the same run, and as a share of the measured FMA peak.
/// Options: --quick (3 repeats of 0.02 s; the reference runs with --smoke), --no-reference.
/// </summary>
internal static unsafe class GemmBenchmark
{
    private const int Batch = 256;

    // name, M, K, N, transA, transB: exactly gemm.py's SHAPES (A is M×K, B is K×N; trans = stored transposed).
    private static readonly (string Name, int M, int K, int N, bool TransA, bool TransB)[] Shapes =
    [
        ("fwd_784_128", Batch, 784, 128, false, true),
        ("bwd_x_784_128", Batch, 128, 784, false, false),
        ("bwd_w_784_128", 128, Batch, 784, true, false),
        ("fwd_128_784", Batch, 128, 784, false, true),
        ("bwd_x_128_784", Batch, 784, 128, false, false),
        ("bwd_w_128_784", 784, Batch, 128, true, false),
        ("fwd_784_1000", Batch, 784, 1000, false, true),
        ("bwd_x_784_1000", Batch, 1000, 784, false, false),
        ("bwd_w_784_1000", 1000, Batch, 784, true, false),
        ("square_1024", 1024, 1024, 1024, false, false),
    ];

    private static readonly int[] ThreadCounts = [1, 2];

    private sealed record Row(string Shape, int Threads, double Gflops, double Min, double Max, long BytesPerCall);

    public static int Run(string[] options)
    {
        string[] known = ["--quick", "--no-reference"];
        foreach (string option in options)
        {
            if (Array.IndexOf(known, option) < 0)
            {
                Console.Error.WriteLine($"gemm: unknown option '{option}'; options: {string.Join(", ", known)}");
                return 2;
            }
        }
        bool quick = options.Contains("--quick");
        int reps = quick ? 3 : 7;
        double minTime = quick ? 0.02 : 0.15;

        // The reference runs first and alone: the two cores are not shared with our timings.
        ReferenceResult reference = options.Contains("--no-reference")
            ? new ReferenceResult(null, "skipped (--no-reference)")
            : RunReference(quick);

        Console.WriteLine($"# ours: Latent GEMM, path {PathName()}, median of {reps} repeats of >= {minTime} s");
        var rows = new List<Row>();
        var monitor = new CpuMonitor();
        foreach (int threads in ThreadCounts)
        {
            WarmUp(threads, quick ? 0.2 : 1.0);
            foreach (var shape in Shapes) rows.Add(Measure(shape, threads, reps, minTime, quick));
        }
        double? foreign = monitor.ForeignCores();

        PrintTable(rows, reference, foreign);
        return 0;
    }

    private static ReferenceResult RunReference(bool quick)
    {
        Console.WriteLine("# reference: torch.mm (OpenBLAS) via shared/reference/gemm.py ...");
        ReferenceResult result = ReferenceScript.Run("gemm.py", quick ? ["--smoke"] : []);
        if (!result.Succeeded) Console.WriteLine($"# reference unavailable: {result.Failure}");
        return result;
    }

    private static string PathName()
    {
        foreach (GemmPath path in new[] { GemmPath.Avx512, GemmPath.Avx2, GemmPath.Portable })
            if (Gemm.IsSupported(path)) return path.ToString();
        return "?";
    }

    /// <summary>About <paramref name="seconds"/> of 512³ products, to wake the second core and the pool (as gemm.py does).</summary>
    private static void WarmUp(int threads, double seconds)
    {
        using var a = new NativeMatrix(512 * 512, 1);
        using var c = new NativeMatrix(512 * 512, 2);
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < seconds)
            Gemm.Multiply(512, 512, 512, a.Pointer, 512, false, a.Pointer, 512, false, c.Pointer, 512, false, threads: threads);
    }

    private static Row Measure((string Name, int M, int K, int N, bool TransA, bool TransB) s, int threads, int reps,
        double minTime, bool quick)
    {
        using var a = new NativeMatrix((long)s.M * s.K, 1);
        using var b = new NativeMatrix((long)s.K * s.N, 2);
        using var c = new NativeMatrix((long)s.M * s.N, 3);
        int lda = s.TransA ? s.M : s.K, ldb = s.TransB ? s.K : s.N;
        void Call() => Gemm.Multiply(s.M, s.N, s.K, a.Pointer, lda, s.TransA, b.Pointer, ldb, s.TransB, c.Pointer, s.N,
            accumulate: false, threads: threads);

        // Calibrate the inner count from one call, then warm up for >= 0.2 s and >= 3 calls (gemm.py's method).
        Call();
        long t0 = Stopwatch.GetTimestamp();
        Call();
        double one = Math.Max(Stopwatch.GetElapsedTime(t0).TotalSeconds, 1e-7);
        int inner = Math.Max(1, (int)(minTime / one));
        var warm = Stopwatch.StartNew();
        for (int i = 0; i < 3 || warm.Elapsed.TotalSeconds < (quick ? 0.05 : 0.2); i++) Call();

        var times = new double[reps];
        long allocated = GC.GetTotalAllocatedBytes(precise: true);
        for (int r = 0; r < reps; r++)
        {
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < inner; i++) Call();
            times[r] = Stopwatch.GetElapsedTime(start).TotalSeconds / inner;
        }
        long bytesPerCall = (GC.GetTotalAllocatedBytes(precise: true) - allocated) / ((long)reps * inner);
        Array.Sort(times);
        double flop = 2.0 * s.M * s.N * s.K;
        return new Row(s.Name, threads, flop / times[reps / 2] / 1e9, flop / times[^1] / 1e9, flop / times[0] / 1e9,
            bytesPerCall);
    }

    private static void PrintTable(List<Row> rows, ReferenceResult reference, double? foreignCores)
    {
        var torch = new Dictionary<(string, int), double>();
        var peak = new Dictionary<int, double>();
        if (reference.Json is JsonElement json)
        {
            foreach (JsonElement row in json.GetProperty("rows").EnumerateArray())
                if (row.GetProperty("gflops").ValueKind == JsonValueKind.Number)
                    torch[(row.GetProperty("shape").GetString()!, row.GetProperty("threads").GetInt32())] =
                        row.GetProperty("gflops").GetDouble();
            foreach (JsonElement row in json.GetProperty("fma_peak").EnumerateArray())
                if (row.GetProperty("peak_gflops").ValueKind == JsonValueKind.Number)
                    peak[row.GetProperty("threads").GetInt32()] = row.GetProperty("peak_gflops").GetDouble();
        }

        Console.WriteLine();
        Console.WriteLine($"{"shape",-16} {"thr",3} {"ours GF/s",9} {"(min-max)",13} {"torch GF/s",10} {"ratio",6} {"%peak",6} {"B/call",6}");
        var ratios = new List<double>();
        foreach (Row row in rows)
        {
            string spread = row.Threads > 1 ? $"({row.Min:F0}-{row.Max:F0})" : "";
            string theirs = "n/a", ratio = "n/a", pct = "n/a";
            if (torch.TryGetValue((row.Shape, row.Threads), out double t))
            {
                theirs = t.ToString("F1");
                ratio = (row.Gflops / t).ToString("F2");
                if (row.Threads == 1) ratios.Add(row.Gflops / t);
            }
            if (peak.TryGetValue(row.Threads, out double p)) pct = (100 * row.Gflops / p).ToString("F0") + "%";
            Console.WriteLine($"{row.Shape,-16} {row.Threads,3} {row.Gflops,9:F1} {spread,13} {theirs,10} {ratio,6} {pct,6} {row.BytesPerCall,6}");
            Results.Add(new($"{row.Shape}, {Threads(row.Threads)}", row.Gflops, "GFLOP/s", HigherIsBetter: true)
                { Peer = Torch, PeerValue = torch.TryGetValue((row.Shape, row.Threads), out double peer) ? peer : null, Detail = true });
        }
        foreach (int threads in ThreadCounts)
        {
            // The summary: geometric means over the shapes both sides ran, so their ratio is the geometric mean of the ratios.
            Row[] both = [.. rows.Where(r => r.Threads == threads && torch.ContainsKey((r.Shape, threads)))];
            if (both.Length > 0)
                Results.Add(new($"geometric mean, {Threads(threads)}", GeometricMean(both.Select(r => r.Gflops)), "GFLOP/s", HigherIsBetter: true)
                    { Peer = Torch, PeerValue = GeometricMean(both.Select(r => torch[(r.Shape, threads)])), Note = $"over the {both.Length} shapes both sides ran" });
        }

        foreach (var shape in Shapes)
        {
            Row one = rows.Single(r => r.Shape == shape.Name && r.Threads == 1);
            Row two = rows.Single(r => r.Shape == shape.Name && r.Threads == 2);
            if (shape.Name.Contains("1000")) Console.WriteLine($"# 2-thread speed-up {shape.Name}: {two.Gflops / one.Gflops:F2}x");
        }
        if (peak.Count > 0)
            Console.WriteLine($"# %peak: of the reference's measured FMA peak ({string.Join(", ", peak.Select(p => $"{p.Key} thr {p.Value:F0} GF/s"))}); B/call: managed bytes allocated per call");

        if (foreignCores is { } cores)
            Console.WriteLine($"# other processes used {cores:F2} cores during our timings{(cores > 0.1 ? " (WARNING: machine busy, timings suspect)" : "")}");

        if (ratios.Count == 0)
        {
            Console.WriteLine($"gemm: reference unavailable ({reference.Failure ?? "no single-thread rows"}); no ratio vs torch");
            return;
        }
        ratios.Sort();
        double median = ratios.Count % 2 == 1 ? ratios[ratios.Count / 2] : (ratios[ratios.Count / 2 - 1] + ratios[ratios.Count / 2]) / 2;
        Console.WriteLine($"gemm: min ratio vs torch {ratios[0]:F2}, median ratio vs torch {median:F2}");
    }

    private const string Torch = "PyTorch torch.mm with OpenBLAS";

    private static string Threads(int threads) => threads == 1 ? "1 thread" : $"{threads} threads";

    private static double GeometricMean(IEnumerable<double> values) => Math.Exp(values.Average(Math.Log));

    /// <summary>A 64-byte aligned native float array filled with uniform values in [-1, 1).</summary>
    private sealed class NativeMatrix : IDisposable
    {
        public float* Pointer { get; }

        public NativeMatrix(long length, int seed)
        {
            Pointer = (float*)NativeMemory.AlignedAlloc((nuint)length * sizeof(float), 64);
            var random = new Random(seed);
            for (long i = 0; i < length; i++) Pointer[i] = random.NextSingle() * 2 - 1;
        }

        public void Dispose() => NativeMemory.AlignedFree(Pointer);
    }
}
