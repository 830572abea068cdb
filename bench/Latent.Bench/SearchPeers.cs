using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Latent.Applications.Search;
using Latent.Engine;

namespace Latent.Bench;

/// <summary>What ours and the peers share in one comparison: threads, repeats per figure, k, and the HNSW settings.</summary>
internal sealed record PeerSettings(int Threads, int Repeats, int K, int Links, int EfConstruction, int[] Efs);

/// <summary>
/// Our exact scan and HNSW graph against FAISS (IndexFlatL2, IndexFlatIP, IndexHNSWFlat) and hnswlib on one set of codes
/// and queries, in one run: the codes and queries are written once as .npy files, we search them, then
/// bench/reference/search_peers.py searches the same files with the same protocol (see that script), and one table
/// shows both with ratios. Recall is always against our exact Euclidean (or cosine) neighbours, which the script
/// checks against FAISS's exact search.
/// </summary>
internal static class SearchPeers
{
    private const string Script = "search_peers.py";
    private const int WarmUpQueries = 100;
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private sealed record ExactFigure(DistanceMetric Metric, int Threads, double Qps, double Recall);

    private sealed record GraphFigures(string Name, double BuildSeconds, double MemoryMb, List<CurvePoint> Curve);

    /// <summary>Measures ours and the peers on <paramref name="database"/> [n, d] and <paramref name="queries"/> [q, d], prints the table and adds to <paramref name="results"/>.</summary>
    /// <param name="name">Short name of the code set, used in the results ("search/" + name).</param>
    public static void Compare(string name, string description, Tensor database, Tensor queries, PeerSettings settings, SearchResults results)
    {
        int rows = database.Dim(0), dim = database.Dim(1), count = queries.Dim(0), exactCount = ExactQueryCount(rows, dim, count);
        Console.WriteLine();
        Console.WriteLine(string.Create(Inv, $"## {name}: {description}; {rows:N0} codes of {dim} values, {count:N0} queries ({exactCount:N0} of them for exact search), k = {settings.K}"));
        string folder = Path.Combine(Path.GetTempPath(), $"latent-search-bench-{Environment.ProcessId}", name);
        Directory.CreateDirectory(folder);
        try
        {
            NpyFile.Write(Path.Combine(folder, "base.npy"), database.Span, rows, dim);
            NpyFile.Write(Path.Combine(folder, "queries.npy"), queries.Span, count, dim);
            var monitor = new CpuMonitor();
            var (exact, truth) = MeasureExact(database, queries, exactCount, settings, folder);
            GraphFigures graph = MeasureGraph(database, queries, settings, truth, "search/" + name);
            double? load = monitor.ForeignCores();
            if (load is not null) Console.WriteLine(string.Create(Inv, $"(other processes used {load:F2} cores on average while ours ran)"));
            ReferenceResult peers = RunPeers(folder, exactCount, settings);
            Report("search/" + name, exact, graph, peers, settings, results);
            if (load is not null)
                results.Records.Add(new SearchRecord("search/" + name, "load of other processes during the run", load.Value, "faiss and hnswlib",
                    peers.Json?.GetProperty("foreign_load_cores").GetDouble(), "cores"));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(folder)!, recursive: true);
        }
    }

    /// <summary>
    /// Queries timed in exact search: enough for about 10^10 multiply-adds per timed call (a window of a second or
    /// so), at least 1,000, at most all of them.
    /// </summary>
    private static int ExactQueryCount(int rows, int dim, int queries) => (int)Math.Clamp(1e10 / ((double)rows * dim), Math.Min(1000, queries), queries);

    private static int[] ThreadCounts(int threads) => threads == 1 ? [1] : [1, threads];

    // ------------------------------------------------------------------ ours

    /// <summary>
    /// Our exact scan at 1 and all threads, both metrics; also returns the true Euclidean neighbours of every query,
    /// written with the cosine ones (of the timed queries) to truth.npy and truth_cosine.npy for everyone's recall.
    /// </summary>
    private static (List<ExactFigure> Figures, int[][] Truth) MeasureExact(Tensor database, Tensor queries, int exactCount, PeerSettings settings, string folder)
    {
        int k = settings.K;
        using LatentIndex index = CodeIndex.Create(database, new LatentIndexOptions { Mode = SearchMode.Exact });
        using Tensor timed = CodeIndex.First(queries, exactCount), warmUp = CodeIndex.First(queries, WarmUpQueries);
        var truth = new Dictionary<DistanceMetric, int[][]>
        {
            [DistanceMetric.Euclidean] = CodeIndex.Rows(index.SearchCodes(queries, k, DistanceMetric.Euclidean)),
            [DistanceMetric.Cosine] = CodeIndex.Rows(index.SearchCodes(timed, k, DistanceMetric.Cosine)),
        };
        NpyFile.Write(Path.Combine(folder, "truth.npy"), truth[DistanceMetric.Euclidean], k);
        NpyFile.Write(Path.Combine(folder, "truth_cosine.npy"), truth[DistanceMetric.Cosine], k);

        var figures = new List<ExactFigure>();
        foreach (DistanceMetric metric in new[] { DistanceMetric.Euclidean, DistanceMetric.Cosine })
            foreach (int threads in ThreadCounts(settings.Threads))
            {
                Parallelism.Threads = threads;
                try
                {
                    var (seconds, hits) = MedianTime.Measure(() => index.SearchCodes(warmUp, k, metric), () => index.SearchCodes(timed, k, metric), settings.Repeats);
                    double recall = Retrieval.RecallAtK(CodeIndex.Rows(hits), truth[metric][..exactCount]);
                    figures.Add(new ExactFigure(metric, threads, exactCount / seconds, recall));
                    Console.WriteLine(string.Create(Inv,
                        $"latent exact ({Lower(metric)}), {threads} thread(s): {exactCount / seconds:N0} queries/s (median {seconds * 1e3:F0} ms), recall@{k} {recall:F4}"));
                }
                finally
                {
                    Parallelism.Threads = settings.Threads;
                }
            }
        return (figures, truth[DistanceMetric.Euclidean]);
    }

    /// <summary>Our HNSW graph: build time and the memory it holds (live managed bytes after a full collection), then the recall–throughput curve.</summary>
    private static GraphFigures MeasureGraph(Tensor database, Tensor queries, PeerSettings settings, int[][] truth, string benchmark)
    {
        var options = new LatentIndexOptions { Mode = SearchMode.Approximate, Links = settings.Links, EfConstruction = settings.EfConstruction };
        using LatentIndex index = CodeIndex.Create(database, options);
        using Tensor warmUp = CodeIndex.First(queries, WarmUpQueries);
        long before = GC.GetTotalMemory(forceFullCollection: true), start = Stopwatch.GetTimestamp();
        index.BuildGraph(DistanceMetric.Euclidean);
        double build = Stopwatch.GetElapsedTime(start).TotalSeconds;
        double memory = (GC.GetTotalMemory(forceFullCollection: true) - before) / 1e6;
        Console.WriteLine(string.Create(Inv, $"latent hnsw: built in {build:F1} s, {memory:F0} MB"));
        var curve = new List<CurvePoint>();
        foreach (int ef in settings.Efs)
        {
            index.Ef = ef;
            var (seconds, hits) = MedianTime.Measure(() => index.SearchCodes(warmUp, settings.K), () => index.SearchCodes(queries, settings.K), settings.Repeats);
            curve.Add(new CurvePoint(benchmark, "latent", ef, Retrieval.RecallAtK(CodeIndex.Rows(hits), truth), queries.Dim(0) / seconds));
            Console.WriteLine(string.Create(Inv, $"latent hnsw ef {ef}: recall@{settings.K} {curve[^1].Recall:F4}, {curve[^1].Qps:N0} queries/s"));
        }
        return new GraphFigures("latent", build, memory, curve);
    }

    // ------------------------------------------------------------------ the peers

    private static ReferenceResult RunPeers(string folder, int exactCount, PeerSettings s)
    {
        string? script = ScriptPath();
        if (script is null) return new(null, $"bench/reference/{Script} not found above {Directory.GetCurrentDirectory()}");
        Console.WriteLine($"running {Script} on the same files...");
        return ReferenceScript.Run(script,
        [
            $"--data={folder}", $"--threads={s.Threads}", $"--exact-threads={string.Join(",", ThreadCounts(s.Threads))}", $"--repeats={s.Repeats}",
            $"--k={s.K}", $"--m={s.Links}", $"--ef-construction={s.EfConstruction}", $"--ef={string.Join(",", s.Efs)}", $"--exact-queries={exactCount}",
        ], echoPrefix: "  [peers] ");
    }

    /// <summary>The peer script in this repository: bench/reference/ above the working directory or the program.</summary>
    private static string? ScriptPath()
    {
        foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "bench", "reference", Script);
                if (File.Exists(candidate)) return candidate;
            }
        return null;
    }

    // ------------------------------------------------------------------ the table

    private sealed record Row(string Measure, string Unit, double Ours, string FaissName, double? Faiss, double? Hnswlib, bool Both);

    private static void Report(string benchmark, List<ExactFigure> exact, GraphFigures ours, ReferenceResult peers, PeerSettings s, SearchResults results)
    {
        if (!peers.Succeeded) Console.WriteLine($"peers not run: {peers.Failure}");
        JsonElement? json = peers.Json;
        GraphFigures? faiss = json is { } j1 ? PeerGraph(j1, "faiss IndexHNSWFlat", benchmark) : null;
        GraphFigures? hnswlib = json is { } j2 ? PeerGraph(j2, "hnswlib", benchmark) : null;
        var table = new List<Row>();
        foreach (ExactFigure f in exact)
        {
            string peer = f.Metric == DistanceMetric.Euclidean ? "faiss IndexFlatL2" : "faiss IndexFlatIP";
            double? theirs = json is { } j ? PeerExact(j, Lower(f.Metric), f.Threads) : null;
            table.Add(new Row($"exact {Lower(f.Metric)}, {Threads(f.Threads)}", "queries/s", f.Qps, peer, theirs, null, Both: false));
        }
        table.Add(new Row($"hnsw build, {Threads(s.Threads)}", "s", ours.BuildSeconds, "faiss IndexHNSWFlat", faiss?.BuildSeconds, hnswlib?.BuildSeconds, true));
        table.Add(new Row("hnsw memory", "MB", ours.MemoryMb, "faiss IndexHNSWFlat", faiss?.MemoryMb, hnswlib?.MemoryMb, true));
        int defaultEf = new LatentIndexOptions().Ef, matched = s.Efs.Contains(defaultEf) ? defaultEf : s.Efs[s.Efs.Length / 2];
        table.Add(new Row($"hnsw recall@{s.K} at ef {matched}", "recall", At(ours, matched)!.Recall, "faiss IndexHNSWFlat", At(faiss, matched)?.Recall, At(hnswlib, matched)?.Recall, true));
        table.Add(new Row($"hnsw queries/s at ef {matched}", "queries/s", At(ours, matched)!.Qps, "faiss IndexHNSWFlat", At(faiss, matched)?.Qps, At(hnswlib, matched)?.Qps, true));
        foreach (double target in new[] { 0.9, 0.99 })
            if (BestQps(ours, target) is { } best)
                table.Add(new Row($"hnsw queries/s at recall@{s.K} ≥ {target:F2}", "queries/s", best, "faiss IndexHNSWFlat", BestQps(faiss, target), BestQps(hnswlib, target), true));

        Console.WriteLine();
        Console.WriteLine("| measure | unit | latent | faiss | latent ÷ faiss | hnswlib | latent ÷ hnswlib |");
        Console.WriteLine("| --- | --- | ---: | ---: | ---: | ---: | ---: |");
        foreach (Row r in table)
        {
            Console.WriteLine($"| {r.Measure} | {r.Unit} | {Format(r.Ours, r.Unit)} | {Format(r.Faiss, r.Unit)} | {Ratio(r.Ours, r.Faiss)} | " +
                $"{(r.Both ? Format(r.Hnswlib, r.Unit) : "")} | {(r.Both ? Ratio(r.Ours, r.Hnswlib) : "")} |");
            results.Records.Add(new SearchRecord(benchmark, r.Measure, r.Ours, r.FaissName, r.Faiss, r.Unit));
            if (r.Both) results.Records.Add(new SearchRecord(benchmark, r.Measure, r.Ours, "hnswlib", r.Hnswlib, r.Unit));
        }
        Console.WriteLine("(faiss: IndexFlatL2 / IndexFlatIP for exact rows, IndexHNSWFlat for hnsw rows; a ratio above 1 means ours is higher)");

        Console.WriteLine();
        Console.WriteLine($"| ef | latent recall@{s.K} | latent queries/s | faiss recall@{s.K} | faiss queries/s | hnswlib recall@{s.K} | hnswlib queries/s |");
        Console.WriteLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (int ef in s.Efs)
        {
            CurvePoint o = At(ours, ef)!;
            CurvePoint? f = At(faiss, ef), h = At(hnswlib, ef);
            Console.WriteLine(string.Create(Inv,
                $"| {ef} | {o.Recall:F4} | {o.Qps:N0} | {Format(f?.Recall, "recall")} | {Format(f?.Qps, "queries/s")} | {Format(h?.Recall, "recall")} | {Format(h?.Qps, "queries/s")} |"));
        }
        foreach (GraphFigures? g in new[] { ours, faiss, hnswlib })
            if (g is not null) results.Curves.AddRange(g.Curve);
        if (json is { } peerJson)
            Console.WriteLine(string.Create(Inv,
                $"(peers: faiss {peerJson.GetProperty("faiss_version").GetString()}, hnswlib {peerJson.GetProperty("hnswlib_version").GetString()}; " +
                $"FAISS's exact recall against ours: {PeerExactRecalls(peerJson)}; other processes used {peerJson.GetProperty("foreign_load_cores").GetDouble():F2} cores during the peers' run)"));
    }

    private static double? PeerExact(JsonElement json, string metric, int threads)
    {
        foreach (JsonElement row in json.GetProperty("exact").EnumerateArray())
            if (row.GetProperty("metric").GetString() == metric && row.GetProperty("threads").GetInt32() == threads) return row.GetProperty("qps").GetDouble();
        return null;
    }

    private static string PeerExactRecalls(JsonElement json) =>
        string.Join(", ", json.GetProperty("exact").EnumerateArray()
            .Select(r => string.Create(Inv, $"{r.GetProperty("metric").GetString()} {r.GetProperty("threads").GetInt32()}t {r.GetProperty("recall").GetDouble():F4}")));

    private static GraphFigures? PeerGraph(JsonElement json, string name, string benchmark)
    {
        foreach (JsonElement g in json.GetProperty("hnsw").EnumerateArray())
            if (g.GetProperty("name").GetString() == name)
                return new GraphFigures(name, g.GetProperty("build_seconds").GetDouble(), g.GetProperty("memory_mb").GetDouble(),
                    [.. g.GetProperty("curve").EnumerateArray().Select(p =>
                        new CurvePoint(benchmark, name, p.GetProperty("ef").GetInt32(), p.GetProperty("recall").GetDouble(), p.GetProperty("qps").GetDouble()))]);
        return null;
    }

    private static CurvePoint? At(GraphFigures? graph, int ef) => graph?.Curve.FirstOrDefault(p => p.Ef == ef);

    /// <summary>The highest throughput among the curve's points that reach <paramref name="recall"/>, or null when none does.</summary>
    private static double? BestQps(GraphFigures? graph, double recall) =>
        graph?.Curve.Where(p => p.Recall >= recall).Select(p => (double?)p.Qps).Max();

    private static string Format(double? value, string unit) => value is not { } v ? "–" : unit switch
    {
        "recall" => v.ToString("F4", Inv),
        "s" => v.ToString("F1", Inv),
        _ => v.ToString("N0", Inv),
    };

    private static string Ratio(double ours, double? peer) => peer is { } p && p > 0 ? (ours / p).ToString("F2", Inv) : "–";

    private static string Threads(int n) => n == 1 ? "1 thread" : $"{n} threads";

    private static string Lower(DistanceMetric metric) => metric.ToString().ToLowerInvariant();
}
