using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Latent.Applications.Search;
using Latent.Engine;

namespace Latent.Bench;

/// <summary>
/// What ours and the peers share in one comparison: threads, repeats per figure, k, the HNSW settings, and the rounds
/// of recall–throughput curves (ours, then the peers', on the same graphs; each point is the median over the rounds).
/// </summary>
internal sealed record PeerSettings(int Threads, int Repeats, int K, int Links, int EfConstruction, int[] Efs, int Rounds = 1);

/// <summary>
/// Our exact scan and HNSW graph against FAISS (IndexFlatL2, IndexFlatIP, IndexHNSWFlat) and hnswlib on one set of codes
/// and queries, in one run: the codes and queries are written once as .npy files, we search them, then
/// bench/reference/search_peers.py searches the same files with the same protocol (see that script). This file measures
/// both sides; SearchPeers.Results.cs prints them in one table with ratios and adds them to the results. Recall is
/// always against our exact Euclidean (or cosine) neighbours, which the script checks against FAISS's exact search.
/// The graphs' curves are measured in alternating rounds (ours, theirs, ours, ...) and each point is the median of its
/// rounds, so that a slow minute of a shared machine falls on both sides rather than on whichever ran then.
/// </summary>
internal static partial class SearchPeers
{
    private const string Script = "search_peers.py";
    private const int WarmUpQueries = 100;
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <param name="Recall">Against our exact neighbours: ours 1 by construction, FAISS's an independent check.</param>
    private sealed record ExactFigure(DistanceMetric Metric, int Threads, double Qps, double Recall);

    /// <summary>One point of a recall–throughput curve, for others to quote.</summary>
    internal sealed record GraphPoint(int Ef, double Recall, double Qps);

    /// <summary>Ours, FAISS's and hnswlib's points at a matched recall (null for a side that did not run); ours by the method named.</summary>
    internal sealed record MatchedPoints(GraphPoint? Ours, GraphPoint? Faiss, GraphPoint? Hnswlib, string OurMethod = "hnsw");

    /// <summary>The fastest point reaching <paramref name="recall"/>, else the most accurate one (null for an empty curve).</summary>
    internal static GraphPoint? Fastest(IReadOnlyList<GraphPoint> curve, double recall) =>
        curve.Where(p => p.Recall >= recall).MaxBy(p => p.Qps) ?? curve.MaxBy(p => p.Recall);

    private static GraphPoint? Fastest(GraphFigures? graph, double recall) => graph is null ? null : Fastest(graph.Curve, recall);

    /// <param name="MemoryMb">Null when the peer could not measure it.</param>
    private sealed record GraphFigures(string Name, double BuildSeconds, double? MemoryMb, List<GraphPoint> Curve);

    /// <summary>Our side of one comparison (the quantised scan's curve by candidates re-ranked), and the other processes' load (in cores) while it ran.</summary>
    private sealed record OurFigures(List<ExactFigure> Exact, GraphFigures Graph, GraphFigures Quantized, double? Load);

    /// <summary>The peers' side, or why there is none (<see cref="Failure"/>).</summary>
    private sealed record PeerFigures(List<ExactFigure> Exact, GraphFigures? Faiss, GraphFigures? Hnswlib, double? Load, string? Versions, string? Failure);

    /// <summary>
    /// Measures ours and the peers on <paramref name="database"/> [n, d] and <paramref name="queries"/> [q, d], prints
    /// the table, adds the figures and the recall–throughput curves to <see cref="Results"/> and returns the closing
    /// line's part and whether the peers ran.
    /// </summary>
    /// <param name="name">Short name of the code set, e.g. "gaussian-32", which starts each measure's name.</param>
    public static (string Summary, bool PeersRan) Compare(string name, string description, Tensor database, Tensor queries, PeerSettings settings) =>
        Compare(name, description, database, queries, settings, recall: 1, out _);

    /// <summary>As the other overload; also gives each graph's fastest point that reaches <paramref name="recall"/> (or its most accurate one when none does).</summary>
    public static (string Summary, bool PeersRan) Compare(string name, string description, Tensor database, Tensor queries, PeerSettings settings,
        double recall, out MatchedPoints matched)
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
            using LatentIndex graphIndex = BuildGraph(database, settings, out double build, out double memory);
            using LatentIndex quantizedIndex = RoundCodes(database, queries, settings, out double rounding, out double quantizedMemory);
            List<List<GraphPoint>> graphRounds = [GraphCurve(graphIndex, queries, settings, truth)], quantizedRounds = [QuantizedCurve(quantizedIndex, queries, settings, truth)];
            double? load = monitor.ForeignCores();
            if (load is { } cores) Console.WriteLine(string.Create(Inv, $"(other processes used {cores:F2} cores on average while ours ran)"));
            PeerFigures peers = RunPeers(folder, exactCount, settings);
            List<PeerCurves> peerRounds = peers.Failure is null ? [new PeerCurves(peers.Faiss?.Curve, peers.Hnswlib?.Curve)] : [];
            for (int round = 2; round <= settings.Rounds && peers.Failure is null; round++)
            {
                Console.WriteLine($"round {round} of {settings.Rounds}: our curves, then the peers' on their saved graphs");
                List<GraphPoint> graphCurve = GraphCurve(graphIndex, queries, settings, truth), quantizedCurve = QuantizedCurve(quantizedIndex, queries, settings, truth);
                if (RunPeerCurves(folder, settings) is not { } theirs)
                    break;   // the medians keep the rounds both sides finished
                graphRounds.Add(graphCurve);
                quantizedRounds.Add(quantizedCurve);
                peerRounds.Add(theirs);
            }
            var ours = new OurFigures(exact, new GraphFigures("ours", build, memory, MedianCurve(graphRounds)),
                new GraphFigures("latent quantized", rounding, quantizedMemory, MedianCurve(quantizedRounds)), load);
            if (settings.Rounds > 1 && peers.Failure is null)
                peers = peers with
                {
                    Faiss = peers.Faiss is null ? null : peers.Faiss with { Curve = MedianCurve([.. peerRounds.Select(r => r.Faiss!)]) },
                    Hnswlib = peers.Hnswlib is null ? null : peers.Hnswlib with { Curve = MedianCurve([.. peerRounds.Select(r => r.Hnswlib!)]) },
                };
            // Ours is whichever of our methods is fastest at the recall: the graph, or the quantised scan.
            GraphPoint? graphPoint = Fastest(ours.Graph, recall), quantizedPoint = Fastest(ours.Quantized, recall);
            bool scan = quantizedPoint is not null && quantizedPoint.Recall >= recall && (graphPoint is null || graphPoint.Recall < recall || quantizedPoint.Qps > graphPoint.Qps);
            matched = new MatchedPoints(scan ? quantizedPoint : graphPoint, Fastest(peers.Faiss, recall), Fastest(peers.Hnswlib, recall),
                scan ? $"the quantized scan, {quantizedPoint!.Ef} candidates" : $"hnsw, ef {graphPoint?.Ef}");
            return (Report(name, ours, peers, settings), peers.Failure is null);
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

    /// <summary>Our HNSW graph, built: its build time and the memory it holds (mostly native).</summary>
    private static LatentIndex BuildGraph(Tensor database, PeerSettings settings, out double seconds, out double megabytes)
    {
        var options = new LatentIndexOptions { Mode = SearchMode.Approximate, Links = settings.Links, EfConstruction = settings.EfConstruction };
        LatentIndex index = CodeIndex.Create(database, options);
        long before = index.MemoryBytes, start = Stopwatch.GetTimestamp();
        index.BuildGraph(DistanceMetric.Euclidean);
        seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        megabytes = (index.MemoryBytes - before) / 1e6;
        Console.WriteLine(string.Create(Inv, $"latent hnsw: built in {seconds:F1} s, {megabytes:F0} MB"));
        return index;
    }

    /// <summary>Our graph's recall against speed by ef.</summary>
    private static List<GraphPoint> GraphCurve(LatentIndex index, Tensor queries, PeerSettings settings, int[][] truth) =>
        Curve(index, queries, settings, truth, settings.Efs, ef => index.Ef = ef, ef => $"latent hnsw ef {ef}");

    /// <summary>Recall against speed at each setting (ef, or candidates re-ranked), with the rule every side times by.</summary>
    private static List<GraphPoint> Curve(LatentIndex index, Tensor queries, PeerSettings settings, int[][] truth, int[] values, Action<int> set, Func<int, string> name)
    {
        using Tensor warmUp = CodeIndex.First(queries, WarmUpQueries);
        var curve = new List<GraphPoint>();
        foreach (int value in values)
        {
            set(value);
            var (seconds, hits) = MedianTime.Measure(() => index.SearchCodes(warmUp, settings.K), () => index.SearchCodes(queries, settings.K), settings.Repeats);
            curve.Add(new GraphPoint(value, Retrieval.RecallAtK(CodeIndex.Rows(hits), truth), queries.Dim(0) / seconds));
            Console.WriteLine(string.Create(Inv, $"{name(value)}: recall@{settings.K} {curve[^1].Recall:F4}, {curve[^1].Qps:N0} queries/s"));
        }
        return curve;
    }

    /// <summary>
    /// Our quantised scan (8-bit codes, candidates re-ranked on the full codes), with its codes rounded: the time that
    /// takes (on the first search) and the memory they add beside the full codes.
    /// </summary>
    private static LatentIndex RoundCodes(Tensor database, Tensor queries, PeerSettings settings, out double seconds, out double megabytes)
    {
        LatentIndex index = CodeIndex.Create(database, new LatentIndexOptions { Mode = SearchMode.Quantized });
        using Tensor first = CodeIndex.First(queries, 1);
        long before = index.MemoryBytes, start = Stopwatch.GetTimestamp();
        index.SearchCodes(first, settings.K);
        seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        megabytes = (index.MemoryBytes - before) / 1e6;
        Console.WriteLine(string.Create(Inv, $"latent quantized: codes rounded to bytes in {seconds:F2} s (on the first search), {megabytes:F0} MB beside the full codes"));
        return index;
    }

    /// <summary>The quantised scan's recall against speed by the number of candidates re-ranked.</summary>
    private static List<GraphPoint> QuantizedCurve(LatentIndex index, Tensor queries, PeerSettings settings, int[][] truth) =>
        Curve(index, queries, settings, truth, QuantizedCandidates, c => index.Candidates = c, c => $"latent quantized, {c} candidates");

    /// <summary>Each point's median queries/s over the rounds (recall is the same in every round: the searches are deterministic).</summary>
    private static List<GraphPoint> MedianCurve(List<List<GraphPoint>> rounds) =>
        [.. rounds[0].Select((p, i) => p with { Qps = MedianRule.Of([.. rounds.Select(r => r[i].Qps)]) })];

    /// <summary>Candidates re-ranked per query on the quantised curve (the index's default among them).</summary>
    private static readonly int[] QuantizedCandidates = [10, 20, 40, 80, 160];

    // ------------------------------------------------------------------ the peers

    /// <summary>Runs bench/reference/search_peers.py on the files in <paramref name="folder"/> and reads its figures.</summary>
    private static PeerFigures RunPeers(string folder, int exactCount, PeerSettings s)
    {
        string? script = RepositoryRoot.Find() is { } root ? Path.Combine(root, "bench", "reference", Script) : null;
        if (script is null || !File.Exists(script)) return Failed($"bench/reference/{Script} not found above {Directory.GetCurrentDirectory()}");
        Console.WriteLine($"running {Script} on the same files...");
        ReferenceResult run = ReferenceScript.Run(script,
        [
            $"--data={folder}", $"--threads={s.Threads}", $"--exact-threads={string.Join(",", ThreadCounts(s.Threads))}", $"--repeats={s.Repeats}",
            $"--k={s.K}", $"--m={s.Links}", $"--ef-construction={s.EfConstruction}", $"--ef={string.Join(",", s.Efs)}", $"--exact-queries={exactCount}",
        ], echoPrefix: "  [peers] ");
        if (run.Json is not { } json) return Failed(run.Failure!);

        List<ExactFigure> exact = [.. json.GetProperty("exact").EnumerateArray().Select(r => new ExactFigure(
            Enum.Parse<DistanceMetric>(r.GetProperty("metric").GetString()!, ignoreCase: true), r.GetProperty("threads").GetInt32(),
            Number(r.GetProperty("qps")) ?? double.NaN, Number(r.GetProperty("recall")) ?? double.NaN))];
        return new PeerFigures(exact, Graph(json, "faiss IndexHNSWFlat", "FAISS IndexHNSWFlat"), Graph(json, "hnswlib", "hnswlib"),
            Number(json.GetProperty("foreign_load_cores")),
            $"FAISS {json.GetProperty("faiss_version").GetString()}, hnswlib {json.GetProperty("hnswlib_version").GetString()}", null);

        static PeerFigures Failed(string why) => new([], null, null, null, null, why);
    }

    /// <summary>One round of the peers' curves (null for a graph the script did not measure).</summary>
    private sealed record PeerCurves(List<GraphPoint>? Faiss, List<GraphPoint>? Hnswlib);

    /// <summary>The script's curves again, on the graphs it saved when it built them (<c>--part=curves</c>); null when it failed.</summary>
    private static PeerCurves? RunPeerCurves(string folder, PeerSettings s)
    {
        string script = Path.Combine(RepositoryRoot.Find()!, "bench", "reference", Script);
        ReferenceResult run = ReferenceScript.Run(script,
        [
            $"--data={folder}", $"--threads={s.Threads}", $"--repeats={s.Repeats}", $"--k={s.K}", $"--ef={string.Join(",", s.Efs)}", "--part=curves",
        ], echoPrefix: "  [peers] ");
        if (run.Json is not { } json)
        {
            Console.WriteLine($"the peers' round failed ({run.Failure}); the figures keep the rounds both sides finished");
            return null;
        }
        return new PeerCurves(Graph(json, "faiss IndexHNSWFlat", "")?.Curve, Graph(json, "hnswlib", "")?.Curve);
    }

    /// <summary>The script's figures of one HNSW implementation (<paramref name="key"/> in its JSON), named <paramref name="name"/>.</summary>
    private static GraphFigures? Graph(JsonElement json, string key, string name)
    {
        foreach (JsonElement g in json.GetProperty("hnsw").EnumerateArray())
            if (g.GetProperty("name").GetString() == key)
                return new GraphFigures(name, g.TryGetProperty("build_seconds", out JsonElement b) ? Number(b) ?? double.NaN : double.NaN,
                    g.TryGetProperty("memory_mb", out JsonElement m) ? Number(m) : null,
                    [.. g.GetProperty("curve").EnumerateArray().Select(p =>
                        new GraphPoint(p.GetProperty("ef").GetInt32(), Number(p.GetProperty("recall")) ?? double.NaN, Number(p.GetProperty("qps")) ?? double.NaN))]);
        return null;
    }

    /// <summary>A number of the script's JSON, which writes a non-finite one as null.</summary>
    private static double? Number(JsonElement value) => value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;

    private static string Lower(DistanceMetric metric) => metric.ToString().ToLowerInvariant();
}
