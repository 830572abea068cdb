using System.Diagnostics;

namespace Latent.Bench;

/// <summary>
/// The results API every benchmark fills (issue 15). Where a benchmark prints a result line it also adds the line's
/// figures, one call per compared measure:
/// <code>
/// Results.Add(new("train speed", ours, "samples/s", HigherIsBetter: true) { Peer = "PyTorch", PeerValue = torch });
/// Results.Add(new("test loss", ours, "nats", HigherIsBetter: false) { Peer = "PyTorch", PeerValue = torch, Seeds = 3, OursStd = a, PeerStd = b });
/// </code>
/// and one call per chart of a measure along a sweep (loss per epoch, recall against queries/s), one side per line:
/// <code>
/// Results.Curve(new("test loss per epoch", "epoch", "nats", [CurveSide.PerEpoch("ours", ours), CurveSide.PerEpoch("PyTorch", torch)]));
/// </code>
/// <see cref="BenchResult"/> documents the optional fields: the peer's kind (an implementation run here, a published
/// figure, or one of our own baselines), Comparable with a Note saying how the protocols differ, seeds and standard
/// deviations, and Detail for rows left out of the README's summary. When the benchmark returns, <see cref="Record"/>
/// writes what it added to <c>bench-results/&lt;verb&gt;.json</c> with its options, duration, exit code and the load
/// other processes put on the machine (a <c>--quick</c> run's results are all marked not comparable);
/// <c>bench report</c> and <c>bench all</c> build the report from those files.
/// </summary>
internal static class Results
{
    private static readonly List<BenchResult> Added = [];
    private static readonly List<BenchCurve> AddedCurves = [];
    private static readonly Lock Gate = new();

    public static void Add(BenchResult result)
    {
        lock (Gate) Added.Add(result);
    }

    public static void Curve(BenchCurve curve)
    {
        lock (Gate) AddedCurves.Add(curve);
    }

    /// <summary>bench-results in the repository (in the current directory outside one).</summary>
    public static string Folder => Path.Combine(RepositoryRoot.Find() ?? Directory.GetCurrentDirectory(), "bench-results");

    /// <summary>Where a benchmark's results go: bench-results/&lt;benchmark&gt;.json.</summary>
    public static string FileOf(string benchmark) => Path.Combine(Folder, benchmark + ".json");

    /// <summary>Where <c>all --repeat N</c> keeps run k &lt; N of a benchmark (run N stays in <see cref="FileOf"/>).</summary>
    public static string RepeatFileOf(string benchmark, int run) => Path.Combine(Folder, $"{benchmark}.run{run}.json");

    /// <summary>The earlier runs of a repeated benchmark, as <see cref="RepeatFileOf"/> names them.</summary>
    public static string[] RepeatFilesOf(string benchmark) =>
        Directory.Exists(Folder) ? Directory.GetFiles(Folder, $"{benchmark}.run*.json") : [];

    /// <summary>Set by <c>all --repeat</c> for its children, whose earlier runs must stay to be combined.</summary>
    public const string RepeatingVariable = "LATENT_BENCH_REPEATING";

    /// <summary>Runs a benchmark and writes the results it added, with how the run went, to its file.</summary>
    public static int Record(string benchmark, string[] options, Func<string[], int> run)
    {
        // A --validate run re-checks recipe choices on validation splits: its figures are not the benchmark's results
        // and must not replace them.
        if (options.Contains("--validate")) return run(options);
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var monitor = new CpuMonitor();
        int exitCode = run(options);
        bool quick = options.Contains("--quick");
        BenchRun record;
        lock (Gate)
            record = new(benchmark, options, started, clock.Elapsed.TotalSeconds, exitCode, monitor.ForeignCores(),
                [.. Added.Select(r => quick ? r with { Comparable = false } : r)], [.. AddedCurves]);
        Directory.CreateDirectory(Folder);
        record.Save(FileOf(benchmark));
        // A run on its own replaces the whole set: runs of older code must not be combined with it.
        if (Environment.GetEnvironmentVariable(RepeatingVariable) is null)
            foreach (string stale in RepeatFilesOf(benchmark)) File.Delete(stale);
        Console.WriteLine($"# {record.Results.Count} results and {record.Curves.Count} curves written to {FileOf(benchmark)}; `report` rebuilds the report from them");
        return exitCode;
    }
}
