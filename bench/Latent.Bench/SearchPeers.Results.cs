using Latent.Applications.Search;

namespace Latent.Bench;

// One comparison's table: ours beside FAISS and hnswlib with ratios. Every figure goes to the results (FAISS and
// hnswlib as peer implementations), and the recall–throughput curves of the three HNSW graphs make one chart.
internal static partial class SearchPeers
{
    /// <summary>One line of the table: ours, FAISS's and (on the graph's lines) hnswlib's figure for one measure.</summary>
    /// <param name="Graph">An HNSW line, with hnswlib beside FAISS IndexHNSWFlat; else an exact scan's, with FAISS alone.</param>
    private sealed record Row(string Measure, string Unit, bool HigherIsBetter, double Ours, string FaissName, double? Faiss, double? Hnswlib, bool Graph)
    {
        /// <summary>In the README's summary; the other lines are details of the full report.</summary>
        public bool Summary { get; init; }

        public bool Comparable { get; init; } = true;

        public string? Note { get; init; }
    }

    /// <summary>Prints the table and the curves, adds them to <see cref="Results"/> and returns the closing line's part.</summary>
    private static string Report(string name, OurFigures ours, PeerFigures peers, PeerSettings s)
    {
        if (peers.Failure is not null) Console.WriteLine($"peers not run: {peers.Failure}");
        List<Row> table = Rows(ours, peers, s);

        Console.WriteLine();
        Console.WriteLine("| measure | unit | latent | FAISS | latent ÷ FAISS | hnswlib | latent ÷ hnswlib |");
        Console.WriteLine("| --- | --- | ---: | ---: | ---: | ---: | ---: |");
        foreach (Row r in table)
            Console.WriteLine($"| {r.Measure} | {r.Unit} | {Format(r.Ours, r.Unit)} | {Format(r.Faiss, r.Unit)} | {Ratio(r.Ours, r.Faiss)} | " +
                $"{(r.Graph ? Format(r.Hnswlib, r.Unit) : "")} | {(r.Graph ? Ratio(r.Ours, r.Hnswlib) : "")} |");
        Console.WriteLine("(FAISS: IndexFlatL2 / IndexFlatIP on the exact lines, IndexHNSWFlat on the HNSW lines; a ratio above 1 means ours is higher)");

        string? failed = peers.Failure is null ? null : $"the peers did not run: {peers.Failure}";
        string? busy = Math.Max(ours.Load ?? 0, peers.Load ?? 0) < 0.1 ? null :
            $"timing suspect: other processes kept {Cores(ours.Load)} cores busy during ours, {Cores(peers.Load)} during the peers";
        foreach (Row r in table)
        {
            string? note = Join(r.Note, r.Unit is "queries/s" or "s" ? busy : null, failed);
            Results.Add(Result(r, r.FaissName, r.Faiss, note));
            if (r.Graph) Results.Add(Result(r, "hnswlib", r.Hnswlib, note));
        }

        PrintCurves(ours.Graph, peers, s);
        GraphFigures[] graphs = [ours.Graph, ours.Quantized, .. new[] { peers.Faiss, peers.Hnswlib }.OfType<GraphFigures>()];
        Results.Curve(new BenchCurve($"Recall against speed (HNSW by ef, our quantized scan by candidates), {name}", $"recall@{s.K}", "queries/s",
            [.. graphs.Select(g => new CurveSide(g.Name, [.. g.Curve.Select(p => p.Recall)], [.. g.Curve.Select(p => p.Qps)]))]) { LogY = true });
        if (peers.Versions is not null)
            Console.WriteLine(string.Create(Inv, $"(peers: {peers.Versions}; other processes used {peers.Load:F2} cores during the peers' run)"));

        Row exact = table.First(r => r.Summary && !r.Graph);
        string graph = table.FirstOrDefault(r => r.Summary && r.Graph) is { } atRecall
            ? $"hnsw qps at recall ≥ 0.90 latent/FAISS {Ratio(atRecall.Ours, atRecall.Faiss)} latent/hnswlib {Ratio(atRecall.Ours, atRecall.Hnswlib)}"
            : "our hnsw below recall 0.90";
        return $"{name} latent/FAISS exact qps {Ratio(exact.Ours, exact.Faiss)}, {graph}";

        BenchResult Result(Row r, string peer, double? value, string? note) => new($"{name}: {r.Measure}", r.Ours, r.Unit, r.HigherIsBetter)
        {
            Peer = peer, PeerValue = value is { } v && double.IsFinite(v) ? v : null, PeerKind = PeerKind.Implementation,
            Comparable = r.Comparable, Detail = !r.Summary, Note = note,
        };
    }

    /// <summary>
    /// The exact scans (FAISS IndexFlatL2 and IndexFlatIP), then the graphs (FAISS IndexHNSWFlat and hnswlib): build
    /// time, memory, recall and speed at the index's default ef, and the speed each side reaches at a recall. The
    /// summary keeps the Euclidean scan on all threads and the speed at recall 0.90.
    /// </summary>
    private static List<Row> Rows(OurFigures ours, PeerFigures peers, PeerSettings s)
    {
        var table = new List<Row>();
        foreach (ExactFigure f in ours.Exact)
        {
            ExactFigure? theirs = peers.Exact.FirstOrDefault(p => p.Metric == f.Metric && p.Threads == f.Threads);
            table.Add(new Row($"exact {Lower(f.Metric)}, {Threads(f.Threads)}", "queries/s", true, f.Qps,
                f.Metric == DistanceMetric.Euclidean ? "FAISS IndexFlatL2" : "FAISS IndexFlatIP", theirs?.Qps, null, Graph: false)
            {
                Summary = f.Metric == DistanceMetric.Euclidean && f.Threads == s.Threads,
                Note = theirs is null ? null : string.Create(Inv, $"FAISS's recall@{s.K} against our exact neighbours: {theirs.Recall:F4}"),
            });
        }

        GraphFigures o = ours.Graph;
        GraphFigures? faiss = peers.Faiss, hnswlib = peers.Hnswlib;
        const string Hnsw = "FAISS IndexHNSWFlat";
        table.Add(new Row($"HNSW build, {Threads(s.Threads)}", "s", false, o.BuildSeconds, Hnsw, faiss?.BuildSeconds, hnswlib?.BuildSeconds, true)
            { Note = $"M {s.Links}, efConstruction {s.EfConstruction}" });
        table.Add(new Row("HNSW memory", "MB", false, o.MemoryMb ?? double.NaN, Hnsw, faiss?.MemoryMb, hnswlib?.MemoryMb, true)
            { Comparable = false, Note = "ours: the managed bytes the graph adds; the peers: the growth of their resident set" });
        int defaultEf = new LatentIndexOptions().Ef, matched = s.Efs.Contains(defaultEf) ? defaultEf : s.Efs[s.Efs.Length / 2];
        table.Add(new Row($"HNSW recall@{s.K} at ef {matched}", "recall", true, At(o, matched)!.Recall, Hnsw, At(faiss, matched)?.Recall, At(hnswlib, matched)?.Recall, true));
        table.Add(new Row($"HNSW queries/s at ef {matched}", "queries/s", true, At(o, matched)!.Qps, Hnsw, At(faiss, matched)?.Qps, At(hnswlib, matched)?.Qps, true));
        foreach (double target in new[] { 0.9, 0.95, 0.98, 0.99 })
            if (BestQps(o, target) is { } best)
                table.Add(new Row(string.Create(Inv, $"HNSW queries/s at recall@{s.K} ≥ {target:F2}"), "queries/s", true, best, Hnsw, BestQps(faiss, target), BestQps(hnswlib, target), true)
                    { Summary = target == 0.9, Note = "each side's fastest ef that reaches the recall (n/a: none does)" });
        foreach (double target in new[] { 0.95, 0.99 })
            if (BestQps(ours.Quantized, target) is { } best)
                table.Add(new Row(string.Create(Inv, $"latent quantized scan (vs HNSW) queries/s at recall@{s.K} ≥ {target:F2}"), "queries/s", true, best, Hnsw,
                    BestQps(faiss, target), BestQps(hnswlib, target), true)
                    { Note = "ours: the fewest candidates re-ranked that reach the recall; the peers: their fastest ef that does (n/a: none does)" });
        return table;
    }

    private static void PrintCurves(GraphFigures ours, PeerFigures peers, PeerSettings s)
    {
        Console.WriteLine();
        Console.WriteLine($"| ef | latent recall@{s.K} | latent queries/s | FAISS recall@{s.K} | FAISS queries/s | hnswlib recall@{s.K} | hnswlib queries/s |");
        Console.WriteLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (int ef in s.Efs)
        {
            GraphPoint o = At(ours, ef)!;
            GraphPoint? f = At(peers.Faiss, ef), h = At(peers.Hnswlib, ef);
            Console.WriteLine(string.Create(Inv,
                $"| {ef} | {o.Recall:F4} | {o.Qps:N0} | {Format(f?.Recall, "recall")} | {Format(f?.Qps, "queries/s")} | {Format(h?.Recall, "recall")} | {Format(h?.Qps, "queries/s")} |"));
        }
    }

    private static GraphPoint? At(GraphFigures? graph, int ef) => graph?.Curve.FirstOrDefault(p => p.Ef == ef);

    /// <summary>The highest throughput among the curve's points that reach <paramref name="recall"/>, or null when none does.</summary>
    private static double? BestQps(GraphFigures? graph, double recall) =>
        graph?.Curve.Where(p => p.Recall >= recall).Select(p => (double?)p.Qps).Max();

    private static string? Join(params string?[] notes) => notes.Any(n => n is not null) ? string.Join("; ", notes.OfType<string>()) : null;

    private static string Format(double? value, string unit) => value is not { } v || !double.IsFinite(v) ? "–" : unit switch
    {
        "recall" => v.ToString("F4", Inv),
        "s" => v.ToString("F1", Inv),
        _ => v.ToString("N0", Inv),
    };

    internal static string Ratio(double ours, double? peer) => peer is { } p && p > 0 ? (ours / p).ToString("F2", Inv) : "–";

    private static string Cores(double? load) => load?.ToString("F2", Inv) ?? "unknown";

    private static string Threads(int n) => n == 1 ? "1 thread" : $"{n} threads";
}
