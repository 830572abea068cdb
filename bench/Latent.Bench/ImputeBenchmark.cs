using System.Globalization;
using System.Text.Json;
using Latent.Applications.Imputation;
using Latent.Data;
using Latent.Engine;

namespace Latent.Bench;

/// <summary>
/// `impute`: the GAIN protocol (min-max to [0, 1] with GAIN's range + 1e-6, hide cells, impute, RMSE over the hidden
/// cells, seeds 0..N−1) on GAIN's letter table and on the twelve ODDS tables without their label column (tables over
/// <see cref="MaxRows"/> rows: a seeded sample), 20% MCAR, plus MNAR masks (every column's largest 20% hidden) on letter,
/// the table GAIN reports. Ours (the imputer's shipped defaults), the column mean and our kNN run in the library;
/// scikit-learn's KNNImputer and IterativeImputer run in bench/reference/impute_peers.py on the very same masks.
/// Ours on letter is also given after GAIN's own rounding, the figure to set beside the paper's.
/// Options: --seeds=N (3), --threads=N (2), --epochs=N (the imputer's default when absent), --tables=a,b (a subset),
/// --quick (1 seed, 10 epochs, letter and the five smallest tables: minutes, not for quoting),
/// --peers-cache=DIR (keep the peers' figures by a hash of each case's inputs and reuse them: <see cref="ImputePeerCache"/>),
/// --part=FILE (also write the figures, to report parts together), --skip-peers (leave the peers to another run that
/// fills the cache, e.g. the same tables with --epochs=1), --merge=FILE,FILE (report parts, measure nothing; with
/// --peers-cache, peers a part lacks are taken from the cache: <see cref="ImputePart"/>), --validate (choose the defaults leave-one-table-out on validation cells; see <see cref="ImputeValidation"/>).
/// </summary>
internal static class ImputeBenchmark
{
    public const int MaxRows = 20_000;
    private const double GainPaper = 0.1198, GainPaperStd = 0.0005, MissingRate = 0.2;
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static readonly string[] Odds =
        ["annthyroid", "breastw", "cardio", "glass", "lympho", "mammography", "mnist", "satellite", "satimage-2", "smtp", "thyroid", "vertebral"];
    private static readonly string[] QuickTables = ["letter", "glass", "lympho", "vertebral", "breastw", "thyroid"];

    public static int Run(string[] args)
    {
        if (BenchOptions.Value(args, "--merge") is { } parts)
        {
            ImputePart merged = ImputePart.Merge(parts.Split(',')).WithPeers(new ImputePeerCache(BenchOptions.Value(args, "--peers-cache")));
            Header(merged.Seeds, merged.Epochs, merged.Threads, partial: merged.Cases.Select(c => c.Table).Distinct().Count() < Odds.Length + 1);
            return Report(merged);
        }
        bool quick = args.Contains("--quick");
        int seeds = quick ? 1 : BenchOptions.Int(args, "--seeds", 3), threads = BenchOptions.Int(args, "--threads", 2);
        int? epochs = quick ? 10 : BenchOptions.Value(args, "--epochs") is not null ? BenchOptions.Int(args, "--epochs", 1) : null;
        Parallelism.Threads = threads;
        string[] names = BenchOptions.Value(args, "--tables") is { } only ? [.. only.Split(',')] : quick ? QuickTables : ["letter", .. Odds];
        var tables = names.ToDictionary(n => n, Load);
        if (args.Contains("--validate")) return ImputeValidation.Run(tables, epochs, quick ? 1 : BenchOptions.Int(args, "--seeds", 1));

        var cache = new ImputePeerCache(BenchOptions.Value(args, "--peers-cache"));
        Header(seeds, epochs, threads.ToString(Inv), partial: quick || names.Distinct().Count() < Odds.Length + 1);
        string folder = Directory.CreateTempSubdirectory("latent-impute-peers-").FullName;
        var measured = new List<(string Table, MissingPattern Pattern, ImputationEvaluationResult Result)>();
        var keys = new Dictionary<string, string>();   // case id (table-mask-sSEED) → its inputs' hash
        var toRun = new List<string>();
        var options = new ImputerOptions { Epochs = epochs };
        try
        {
            foreach (var (name, data) in tables)
            {
                MissingPattern[] patterns = name == "letter" ? [MissingPattern.Random, MissingPattern.Largest] : [MissingPattern.Random];
                foreach (MissingPattern pattern in patterns)
                {
                    string tag = $"{name}-{Tag(pattern)}";
                    ImputationEvaluationResult result = ImputationEvaluation.Run(data, MissingRate, seeds, options,
                        seedDone: (seed, r) => Console.WriteLine(string.Create(Inv,
                            $"{tag} seed {seed}: ours {r.Ours.PerSeed[^1]:F4}, knn {r.Knn.PerSeed[^1]:F4}, mean {r.Mean.PerSeed[^1]:F4} ({r.SecondsPerSeed:F0} s per fit)")),
                        pattern: pattern, masked: (seed, truth, holed) =>
                        {
                            string id = $"{tag}-s{seed}";
                            keys[id] = ImputePeerCache.Key(seed, truth, holed);
                            NpyFile.Write(Path.Combine(folder, id + ".truth.npy"), truth.Span, truth.Dim(0), truth.Dim(1));
                            NpyFile.Write(Path.Combine(folder, id + ".holed.npy"), holed.Span, holed.Dim(0), holed.Dim(1));
                            toRun.Add(id);
                        });
                    measured.Add((name, pattern, result));
                }
            }
            toRun.RemoveAll(id => cache.Find(keys[id]) is not null);   // checked late: a run beside this one may have filled them
            if (toRun.Count > 0 && !args.Contains("--skip-peers")) RunPeers(folder, toRun, threads, cache, keys);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
        if (toRun.Count < keys.Count) Console.WriteLine($"# peers: {keys.Count - toRun.Count} of {keys.Count} cases from the cache");
        if (toRun.Count > 0 && args.Contains("--skip-peers")) Console.WriteLine($"# peers: {toRun.Count} cases left to the cache (--skip-peers)");

        double[]? Peer(string tag, Func<ImputePeerCache.Figures, double> pick) =>
            Enumerable.Range(0, seeds).Select(s => cache.Find(keys[$"{tag}-s{s}"])).ToArray() is var found && found.All(f => f is not null)
                ? [.. found.Select(f => pick(f!))] : null;
        var part = new ImputePart(seeds, epochs, threads.ToString(Inv), [.. measured.Select(m =>
        {
            string tag = $"{m.Table}-{Tag(m.Pattern)}";
            return new ImputeCase(m.Table, Tag(m.Pattern), [.. m.Result.Ours.PerSeed], [.. m.Result.OursGainRounded.PerSeed], [.. m.Result.Knn.PerSeed],
                [.. m.Result.Mean.PerSeed], m.Result.SecondsPerSeed, Peer(tag, f => f.Knn), Peer(tag, f => f.Iterative),
                [.. Enumerable.Range(0, seeds).Select(s => keys[$"{tag}-s{s}"])]);
        })]);
        if (BenchOptions.Value(args, "--part") is { } partPath)
        {
            part.Write(partPath);
            Console.WriteLine($"# figures written to {partPath}; `impute --merge={partPath},...` reports them with other parts");
        }
        return Report(part);
    }

    /// <summary>Runs the reference script on the cases in <paramref name="folder"/> and keeps its figures in the cache.</summary>
    private static void RunPeers(string folder, List<string> ids, int threads, ImputePeerCache cache, Dictionary<string, string> keys)
    {
        File.WriteAllLines(Path.Combine(folder, "cases.txt"), ids);
        string? script = RepositoryRoot.Find() is { } root ? Path.Combine(root, "bench", "reference", "impute_peers.py") : null;
        ReferenceResult peers = script is null
            ? new ReferenceResult(null, "bench/reference/impute_peers.py not found")
            : ReferenceScript.Run(script, [$"--folder={folder}", $"--threads={threads}"]);
        if (peers.Json is not { } json)
        {
            Console.WriteLine($"peers unavailable: {peers.Failure}");
            return;
        }
        foreach (JsonProperty c in json.GetProperty("cases").EnumerateObject())
            cache.Store(keys[c.Name], new ImputePeerCache.Figures(c.Value.GetProperty("knn").GetDouble(), c.Value.GetProperty("iterative").GetDouble()));
    }

    private static void Header(int seeds, int? epochs, string threads, bool partial)
    {
        string[] protocol =
        [
            $"GAIN protocol: min-max to [0, 1] (range + 1e-6), {MissingRate * 100:F0}% of the cells hidden, RMSE over the hidden cells; {SeedStatistics.Range(seeds)}, "
                + "mean ± population std; MCAR on every table, MNAR (each column's largest 20% hidden, ties at random) on letter",
            $"tables: GAIN's letter and the ODDS tables without their label column; over {MaxRows} rows a seeded sample of {MaxRows} (smtp)",
            "peers: scikit-learn KNNImputer (k = 5) and IterativeImputer (max_iter 10) on the very same masks (bench/reference/impute_peers.py); "
                + "our kNN is the imputer's neighbour member alone",
            "ours: the imputer's shipped defaults (ImputerOptions; chosen leave-one-table-out on validation cells, see `impute --validate`)",
            $"imputer epochs: {(epochs is { } e ? e.ToString(Inv) : "its default (about 20,000 batches)")}; {threads} threads"
                + (partial ? "; quick or partial run, not for quoting" : ""),
        ];
        foreach (string line in protocol) Console.WriteLine("# impute: " + line);
    }

    private static string Tag(MissingPattern pattern) => pattern == MissingPattern.Random ? "mcar" : "mnar";

    /// <summary>A table as a matrix: letter as it is, an ODDS table without its label; over <see cref="MaxRows"/> rows a seeded sample.</summary>
    public static Tensor Load(string name)
    {
        string data = Environment.GetEnvironmentVariable("LATENT_DATA") is { Length: > 0 } d ? d : Path.Combine("..", "shared", "data");
        Tensor features = name == "letter"
            ? DataSource.Load(Path.Combine(data, "gain", "letter.csv"), Split.Train).Features
            : Odds.Contains(name)
                ? DataSource.Load(Path.Combine(data, "odds", name + ".csv"), Split.Train, columns: new ColumnSelection(Label: "label")).Features
                : throw new ArgumentException($"Unknown table '{name}'; known: letter, {string.Join(", ", Odds)}.");
        if (features.Dim(0) <= MaxRows) return features;
        int[] rows = new Rng(0).Permutation(features.Dim(0))[..MaxRows];
        Array.Sort(rows);
        using (features) return Ops.SelectRows(features, rows);
    }

    private static int Report(ImputePart part)
    {
        static SeedStatistics? Stats(double[]? values) => values is null ? null : new SeedStatistics(values);
        static string Show(SeedStatistics? s) => s is null ? "n/a" : string.Create(Inv, $"{s.Mean:F4} ± {s.Std:F4}");
        // Letter first, then the ODDS tables in order, whatever order the parts came in.
        ImputeCase[] cases = [.. part.Cases.OrderBy(c => c.Table == "letter" ? -1 : Array.IndexOf(Odds, c.Table)).ThenBy(c => c.Mask)];

        Console.WriteLine();
        Console.WriteLine("| table | mask | ours | our kNN | sklearn KNNImputer | sklearn IterativeImputer | column mean | ours below knn | ours below iterative |");
        Console.WriteLine("| --- | --- | ---: | ---: | ---: | ---: | ---: | :---: | :---: |");
        int belowKnn = 0, belowIterative = 0, mcarTables = 0;
        SeedStatistics? letterKnn = null, letterIterative = null;
        foreach (ImputeCase c in cases)
        {
            var ours = new SeedStatistics(c.Ours);
            SeedStatistics? knn = Stats(c.Knn), iterative = Stats(c.Iterative), ourKnn = Stats(c.OurKnn);
            bool beatsKnn = knn is not null && ours.Mean < knn.Mean, beatsIterative = iterative is not null && ours.Mean < iterative.Mean;
            Console.WriteLine(string.Create(Inv, $"| {c.Table} | {c.Mask.ToUpperInvariant()} | {Show(ours)} | {Show(ourKnn)} | "
                + $"{Show(knn)} | {Show(iterative)} | {c.Mean.Average():F4} | {(beatsKnn ? "yes" : "no")} | {(beatsIterative ? "yes" : "no")} |"));
            string measure = $"{c.Table} RMSE, 20% {c.Mask.ToUpperInvariant()}";
            if (knn is not null) Results.Add(ours.Result(measure, "", false) with { Peer = "scikit-learn KNNImputer", PeerValue = knn.Mean, PeerStd = knn.Std, Note = "same masks" });
            if (iterative is not null) Results.Add(ours.Result(measure, "", false) with { Peer = "scikit-learn IterativeImputer", PeerValue = iterative.Mean, PeerStd = iterative.Std, Note = "same masks" });
            if (c.Mask != Tag(MissingPattern.Random)) continue;
            if (c.Table == "letter") (letterKnn, letterIterative) = (knn, iterative);
            if (c.Table == "letter") continue;
            mcarTables++;
            if (beatsKnn) belowKnn++;
            if (beatsIterative) belowIterative++;
        }

        if (cases.FirstOrDefault(c => c.Table == "letter" && c.Mask == Tag(MissingPattern.Random)) is { } letter)
        {
            var rounded = new SeedStatistics(letter.OursRounded);
            Console.WriteLine(string.Create(Inv, $"# letter, ours rounded as GAIN's code does: {rounded.Mean:F4} ± {rounded.Std:F4} (GAIN paper {GainPaper:F4} ± {GainPaperStd:F4})"));
            Results.Add(rounded.Result("letter RMSE, 20% MCAR, rounded as GAIN's code does", "", false) with
                { Peer = "GAIN (paper)", PeerValue = GainPaper, PeerStd = GainPaperStd, PeerKind = PeerKind.Published, Note = "both rounded by GAIN's rule; the paper's own masks" });
            Console.WriteLine(string.Create(Inv, $"# our imputer on letter: {letter.SecondsPerFit:F1} s per fit and transform"));
            Console.WriteLine(string.Create(Inv,
                $"impute: letter rmse ours {Show(new SeedStatistics(letter.Ours))} knn {Show(letterKnn)} iterative {Show(letterIterative)}; tables below knn {belowKnn}/{mcarTables} "
                + $"(below iterative {belowIterative}/{mcarTables})"));
        }
        else Console.WriteLine(string.Create(Inv, $"impute: tables below knn {belowKnn}/{mcarTables} (below iterative {belowIterative}/{mcarTables})"));
        return cases.All(c => c.Knn is not null && c.Iterative is not null) ? 0 : 1;
    }
}
