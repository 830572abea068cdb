using System.Diagnostics;
using System.Globalization;
using Latent.Applications.Search;
using Latent.Engine;
using Latent.Models;
using Latent.Storage;
using Npgsql;

namespace Latent.Bench;

/// <summary>
/// `search-scale`: latent search at scale, on synthetic 32-value codes of two kinds (<see cref="SyntheticCodes"/>:
/// isotropic Gaussian, the hard case, and clustered, of low intrinsic dimension) at each size of --rows, in three parts.
/// (1) In process: our exact scan, HNSW graph and quantised scan (8-bit codes, candidates re-ranked on the full codes)
/// against FAISS IndexHNSWFlat and hnswlib at the same M and ef (<see cref="SearchPeers"/> with
/// bench/reference/search_peers.py): build time, memory, recall@10 against queries/s.
/// (2) Persisted: the codes in an SQLite index with its saved graph (<c>{index}.graph</c>): build time (storing and
/// graph), size on disk, the managed memory of the opened index, and the time from opening it to its first answer.
/// (3) pgvector: the same codes in PostgreSQL as vector(32) with an HNSW index of the same M and efConstruction,
/// searched on the server through Npgsql (one connection per thread): build time, size, recall@10 against queries/s
/// (one round, after ours: pgvector is not in the alternating rounds of part 1).
/// The Fashion-MNIST codes are in `search` (60,000 of them: not a question of scale).
/// Options: --rows=1000000,10000000, --kinds=gaussian,clustered, --queries=N (1000), --repeats=N (3), --rounds=N (3:
/// alternating rounds of our and the peers' recall–throughput curves, each point the median of its rounds), --m=N (16),
/// --ef-construction=N (100), --ef=16,24,...,512, --postgres=CONNECTION (else LATENT_BENCH_POSTGRES; without either,
/// part 3 is skipped), --skip-peers (part 1 without FAISS and hnswlib), --only-pgvector (part 3 alone, no result line),
/// --quick (100,000 codes, 200 queries: not comparable).
/// Result line: <c>search-scale: 1M hnsw recall@10 R at Q q/s (faiss R2 at Q2, hnswlib R3 at Q3, pgvector R4 at Q4); first answer after open T s; 10M build B s</c>,
/// for the first kind at the smallest size, each side at its fastest point reaching the kind's target recall (0.95 on
/// the Gaussian codes, 0.98 on the clustered ones; else its most accurate point); ours is the faster of our graph and
/// our quantised scan there, and the line names which. Each kind also prints its own line at its target recall.
/// </summary>
internal static class SearchScaleBenchmark
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private const int K = 10, Dim = 32;
    /// <summary>The recall targets: 0.95 on the hard (Gaussian) codes, 0.98 on the easy (clustered) ones.</summary>
    private static double TargetRecall(string kind) => kind == "gaussian" ? 0.95 : 0.98;

    private sealed record Persisted(double BuildSeconds, double DiskMb, double MemoryMb, double FirstAnswerSeconds);

    private sealed record Pgvector(double BuildSeconds, double DiskMb, double FirstAnswerSeconds, SearchPeers.GraphPoint Matched);

    public static int Run(string[] args)
    {
        bool quick = args.Contains("--quick");
        int[] sizes = [.. (BenchOptions.Value(args, "--rows") ?? (quick ? "100000" : "1000000,10000000")).Split(',').Select(r => int.Parse(r, Inv))];
        string[] kinds = (BenchOptions.Value(args, "--kinds") ?? "gaussian,clustered").Split(',');
        if (kinds.Any(k => k is not ("gaussian" or "clustered"))) throw new ArgumentException("--kinds must name gaussian and/or clustered.");
        var settings = new PeerSettings(Parallelism.Threads, BenchOptions.Int(args, "--repeats", 3), K, BenchOptions.Int(args, "--m", 16),
            BenchOptions.Int(args, "--ef-construction", 100),
            [.. (BenchOptions.Value(args, "--ef") ?? "16,24,32,64,128,256,512").Split(',').Select(e => int.Parse(e, Inv))], BenchOptions.Int(args, "--rounds", quick ? 1 : 3));
        int queryCount = BenchOptions.Int(args, "--queries", quick ? 200 : 1000);
        string? postgres = BenchOptions.Value(args, "--postgres") ?? Environment.GetEnvironmentVariable("LATENT_BENCH_POSTGRES");
        bool peers = !args.Contains("--skip-peers"), onlyPgvector = args.Contains("--only-pgvector");
        if (onlyPgvector && postgres is null) throw new ArgumentException("--only-pgvector needs --postgres=CONNECTION or LATENT_BENCH_POSTGRES.");

        Console.WriteLine($"# search-scale: {settings.Threads} threads, {Dim}-value codes, {queryCount} queries, k = {K}, M {settings.Links}, " +
            $"efConstruction {settings.EfConstruction}, {DateTime.Now:yyyy-MM-dd HH:mm}");
        if (quick) Console.WriteLine("# QUICK RUN: small sizes; the figures are NOT comparable and not to be quoted");
        if (postgres is null) Console.WriteLine("# pgvector skipped: give --postgres=CONNECTION or LATENT_BENCH_POSTGRES");

        string? line = null;
        double? largestBuild = null;
        foreach (int rows in sizes.Order())
            foreach (string kind in kinds)
            {
                string name = $"{kind}-{Dim}-{Size(rows)}";
                using Tensor database = kind == "gaussian" ? SyntheticCodes.Gaussian(rows, Dim, seed: 1) : SyntheticCodes.Clustered(rows, Dim, seed: 1);
                using Tensor queries = kind == "gaussian" ? SyntheticCodes.Gaussian(queryCount, Dim, seed: 2) : SyntheticCodes.Clustered(queryCount, Dim, seed: 2);
                SearchPeers.MatchedPoints matched = new(null, null, null);
                if (onlyPgvector)
                {
                    MeasurePgvector(name, postgres!, database, queries, settings, TargetRecall(kind));
                    continue;
                }
                double target = TargetRecall(kind);
                if (peers)
                {
                    SearchPeers.Compare(name, kind == "gaussian" ? "isotropic Gaussian codes (hard)" : "clustered codes (low intrinsic dimension)",
                        database, queries, settings, target, out matched);
                    Console.WriteLine(string.Create(Inv, $"{name} at recall@{K} ≥ {target:F2}: ours {Point(matched.Ours)} [{matched.OurMethod}], hnswlib {Point(matched.Hnswlib)}, "
                        + $"faiss {Point(matched.Faiss)}; ours ÷ hnswlib {SearchPeers.Ratio(matched.Ours?.Qps ?? double.NaN, matched.Hnswlib?.Qps)}, ours ÷ faiss {SearchPeers.Ratio(matched.Ours?.Qps ?? double.NaN, matched.Faiss?.Qps)}"));
                }
                Persisted persisted = MeasurePersisted(name, database, queries, settings);
                Pgvector? pg = postgres is null ? null : MeasurePgvector(name, postgres, database, queries, settings, target);
                if (rows == sizes.Max()) largestBuild = persisted.BuildSeconds;
                line ??= string.Create(Inv,
                    $"search-scale: {Size(rows)} hnsw recall@{K} {Point(matched.Ours)} [{matched.OurMethod}] (faiss {Point(matched.Faiss)}, hnswlib {Point(matched.Hnswlib)}, pgvector {Point(pg?.Matched)}); ") +
                    string.Create(Inv, $"first answer after open {persisted.FirstAnswerSeconds:F2} s");
            }
        Console.WriteLine();
        if (line is not null) Console.WriteLine(line + string.Create(Inv, $"; {Size(sizes.Max())} build {largestBuild:F0} s"));
        return 0;
    }

    /// <summary>Builds an SQLite index with its saved graph, then opens it afresh and times its first answer.</summary>
    private static Persisted MeasurePersisted(string name, Tensor database, Tensor queries, PeerSettings s)
    {
        string folder = Path.Combine(Path.GetTempPath(), $"latent-search-scale-{Environment.ProcessId}");
        Directory.CreateDirectory(folder);
        try
        {
            string path = Path.Combine(folder, "index.db");
            DenseAutoencoder placeholder = Placeholder();
            var options = new LatentIndexOptions { Mode = SearchMode.Approximate, Links = s.Links, EfConstruction = s.EfConstruction };
            long start = Stopwatch.GetTimestamp();
            using (var index = LatentIndex.Create(path, placeholder, options))
            {
                index.AddCodes(Ids(database.Dim(0)), database);
                index.BuildGraph(DistanceMetric.Euclidean);
            }
            double build = Stopwatch.GetElapsedTime(start).TotalSeconds;
            double disk = Directory.GetFiles(folder).Sum(f => new FileInfo(f).Length) / 1e6;

            long before = GC.GetTotalMemory(forceFullCollection: true);
            start = Stopwatch.GetTimestamp();
            using var opened = LatentIndex.Open(path, placeholder, options);
            opened.SearchCode(queries.Span[..Dim], K);
            double first = Stopwatch.GetElapsedTime(start).TotalSeconds;
            double memory = (GC.GetTotalMemory(forceFullCollection: true) - before) / 1e6;
            Console.WriteLine(string.Create(Inv,
                $"{name} persisted (SQLite + saved graph): built in {build:F1} s, {disk:F0} MB on disk; once open, codes and graph {opened.MemoryBytes / 1e6:F0} MB " +
                $"(the codes' values mapped from the side file, not counted) and managed heap +{memory:F0} MB (ids, metadata); first answer {first:F3} s after opening"));

            // The same files opened for quantised search: the graph is not loaded and the full codes stay in the side file.
            start = Stopwatch.GetTimestamp();
            using (var quantized = LatentIndex.Open(path, placeholder, options with { Mode = SearchMode.Quantized }))
            {
                quantized.SearchCode(queries.Span[..Dim], K);
                double firstQuantized = Stopwatch.GetElapsedTime(start).TotalSeconds, floats = (double)database.Dim(0) * Dim * sizeof(float) / 1e6;
                Console.WriteLine(string.Create(Inv,
                    $"{name} persisted, opened for quantised search: codes {quantized.MemoryBytes / 1e6:F0} MB in memory (as floats {floats:F0} MB, {floats / (quantized.MemoryBytes / 1e6):F1}x), first answer {firstQuantized:F3} s after opening"));
                Results.Add(new BenchResult($"{name}: quantised index, code memory once open", quantized.MemoryBytes / 1e6, "MB", HigherIsBetter: false)
                    { Note = string.Create(Inv, $"8-bit codes and norms; the codes as floats: {floats:F0} MB") });
            }
            Results.Add(new BenchResult($"{name}: persisted index, first answer after open", first, "s", HigherIsBetter: false) { Note = "SQLite index with its saved graph, opened in this process" });
            Results.Add(new BenchResult($"{name}: persisted index build (store + graph)", build, "s", HigherIsBetter: false) { Detail = true });
            Results.Add(new BenchResult($"{name}: persisted index size on disk", disk, "MB", HigherIsBetter: false) { Detail = true });
            return new Persisted(build, disk, memory, first);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Loads the codes into a fresh table with pgvector's HNSW index (built once they are in), then its recall–throughput curve.</summary>
    private static Pgvector MeasurePgvector(string name, string connection, Tensor database, Tensor queries, PeerSettings s, double target)
    {
        // The HNSW build is far faster when its graph fits in maintenance_work_mem.
        string tuned = new NpgsqlConnectionStringBuilder(connection) { Options = "-c maintenance_work_mem=2GB" }.ConnectionString;
        const string table = "latent_search_scale";
        DenseAutoencoder placeholder = Placeholder();
        PostgresLatentStore Store() => new(tuned, table, "vector")
        {
            GraphLinks = s.Links, GraphEfConstruction = s.EfConstruction, GraphMetrics = [DistanceMetric.Euclidean],
        };
        Drop(connection, table);
        try
        {
            int rows = database.Dim(0);
            string[] ids = Ids(rows);
            long start = Stopwatch.GetTimestamp();
            using (PostgresLatentStore store = Store())
            using (ILatentStoreTransaction transaction = store.BeginTransaction())
            {
                store.Create(new LatentStoreHeader(ModelFingerprint.Of(placeholder), Dim));
                for (int batch = 0; batch < rows; batch += 10_000)
                    store.Add([.. Enumerable.Range(batch, Math.Min(10_000, rows - batch)).Select(r => new StoredCode(ids[r], database.Span.Slice(r * Dim, Dim).ToArray(), "{}"))]);
                transaction.Commit();   // builds the HNSW index
            }
            double build = Stopwatch.GetElapsedTime(start).TotalSeconds;

            start = Stopwatch.GetTimestamp();
            using var index = LatentIndex.Open(Store(), placeholder, new LatentIndexOptions { Mode = SearchMode.Approximate });
            index.SearchCode(queries.Span[..Dim], K);
            double first = Stopwatch.GetElapsedTime(start).TotalSeconds;
            double disk = Scalar(connection, $"SELECT pg_total_relation_size('{table}_items')") / 1e6;

            using LatentIndex exact = CodeIndex.Create(database, new LatentIndexOptions { Mode = SearchMode.Exact });
            int[][] truth = CodeIndex.Rows(exact.SearchCodes(queries, K));
            using Tensor warmUp = CodeIndex.First(queries, 50);
            var curve = new List<SearchPeers.GraphPoint>();
            foreach (int ef in s.Efs.Where(e => e <= 1000))
            {
                index.Ef = ef;
                var (seconds, hits) = MedianTime.Measure(() => index.SearchCodes(warmUp, K), () => index.SearchCodes(queries, K), s.Repeats);
                curve.Add(new SearchPeers.GraphPoint(ef, Retrieval.RecallAtK(CodeIndex.Rows(hits), truth), queries.Dim(0) / seconds));
                Console.WriteLine(string.Create(Inv, $"{name} pgvector ef {ef}: recall@{K} {curve[^1].Recall:F4}, {curve[^1].Qps:N0} queries/s"));
            }
            SearchPeers.GraphPoint matched = SearchPeers.Fastest(curve, target)!;
            Console.WriteLine(string.Create(Inv,
                $"{name} pgvector: built in {build:F1} s (rows, then the HNSW index), {disk:F0} MB on the server, first answer {first:F3} s after opening"));
            Results.Add(new BenchResult($"{name}: pgvector HNSW queries/s at recall@{K} ≥ {target:F2}", matched.Qps, "queries/s", HigherIsBetter: true)
                { Note = string.Create(Inv, $"ef {matched.Ef}, recall {matched.Recall:F4}; through Npgsql, one connection per thread") });
            Results.Add(new BenchResult($"{name}: pgvector build", build, "s", HigherIsBetter: false) { Detail = true });
            Results.Curve(new BenchCurve($"pgvector HNSW recall against speed, {name}", $"recall@{K}", "queries/s",
                [new CurveSide("pgvector", [.. curve.Select(p => p.Recall)], [.. curve.Select(p => p.Qps)])]) { LogY = true });
            return new Pgvector(build, disk, first, matched);
        }
        finally
        {
            Drop(connection, table);
        }
    }

    /// <summary>The index's encoder only fingerprints it: codes are added as they are.</summary>
    private static DenseAutoencoder Placeholder() => new(new DenseAutoencoderConfig { Inputs = Dim, Hidden = [], CodeSize = Dim });

    private static string[] Ids(int rows) => [.. Enumerable.Range(0, rows).Select(i => i.ToString(Inv))];

    private static string Size(int rows) => rows % 1_000_000 == 0 ? $"{rows / 1_000_000}M" : rows % 1000 == 0 ? $"{rows / 1000}k" : rows.ToString(Inv);

    private static string Point(SearchPeers.GraphPoint? p) => p is null ? "n/a" : string.Create(Inv, $"{p.Recall:F3} at {p.Qps:F0} q/s");

    private static void Drop(string connection, string table)
    {
        using var c = new NpgsqlConnection(connection);
        c.Open();
        using var drop = new NpgsqlCommand($"DROP TABLE IF EXISTS {table}_items, {table}_info", c);
        drop.ExecuteNonQuery();
    }

    private static double Scalar(string connection, string sql)
    {
        using var c = new NpgsqlConnection(connection);
        c.Open();
        using var command = new NpgsqlCommand(sql, c);
        return Convert.ToDouble(command.ExecuteScalar(), Inv);
    }
}
