using System.Globalization;

namespace Latent.Bench.Reporting;

// The report's sentences and its secondary tables, shared by the Markdown and the HTML forms.
public sealed partial class BenchReport
{
    private const string Legend =
        "Ratios are ours / the peer's figure; ↑: higher is better, ↓: lower is better. Comparable: both sides measured " +
        "the same way on the same data (never for --quick runs, which are smoke tests on subsets).";

    private static readonly IReadOnlyList<string> RunHeader =
        ["benchmark", "started (UTC)", "minutes", "options", "exit code", "other processes (cores)"];

    /// <summary>"AMD EPYC, 2 logical cores, .NET 10.0.1; measured FMA peak 116 GFLOP/s on 1 thread, 229 GFLOP/s on 2 threads".</summary>
    public string MachineLine()
    {
        string peaks = Machine.FmaPeaks.Count == 0 ? "FMA peak not measured" : "measured FMA peak " + string.Join(", ",
            Machine.FmaPeaks.Select(p => $"{Figures.Format(p.Gflops)} GFLOP/s on {p.Threads} thread{(p.Threads == 1 ? "" : "s")}"));
        double busy = Machine.FmaPeaks.Max(p => p.ForeignCores) ?? 0;
        if (busy > 0.1) peaks += $" (while other processes kept {Cores(busy)} cores busy: too low)";
        return $"{Machine.CpuModel}, {Machine.LogicalCores} logical core{(Machine.LogicalCores == 1 ? "" : "s")}, {Machine.Runtime}; {peaks}";
    }

    /// <summary>The average load other processes put on the machine during the runs, weighted by their length, and the worst run.</summary>
    public string LoadLine()
    {
        var known = _runs.Where(r => r.ForeignCores is not null && r.Seconds > 0).ToList();
        if (known.Count == 0) return "Load from other processes during the runs: unknown.";
        double mean = known.Sum(r => r.ForeignCores!.Value * r.Seconds) / known.Sum(r => r.Seconds);
        BenchRun worst = known.MaxBy(r => r.ForeignCores!.Value)!;
        return $"Other processes kept {Cores(mean)} cores busy on average during the runs (most during {worst.Benchmark}: " +
            $"{Cores(worst.ForeignCores!.Value)}); timings taken above about 0.1 are suspect.";
    }

    /// <summary>Which benchmarks compare with peer implementations run alongside ours, which only with published numbers, which with neither.</summary>
    public string PeerSummary()
    {
        List<string> implementations = [], publishedOnly = [], none = [];
        foreach (BenchRun run in _runs)
        {
            string[] peers = Peers(run, PeerKind.Implementation), papers = Peers(run, PeerKind.Published);
            if (peers.Length > 0)
                implementations.Add($"{run.Benchmark} ({string.Join(", ", peers)}{(papers.Length > 0 ? "; also published: " + string.Join(", ", papers) : "")})");
            else if (papers.Length > 0) publishedOnly.Add($"{run.Benchmark} ({string.Join(", ", papers)})");
            else none.Add(run.Benchmark);
        }
        var sentences = new List<string>();
        if (implementations.Count > 0) sentences.Add($"Peer implementations run in the same benchmark on the same machine: {string.Join("; ", implementations)}.");
        if (publishedOnly.Count > 0) sentences.Add($"Compared only with published numbers: {string.Join("; ", publishedOnly)}.");
        if (none.Count > 0) sentences.Add($"Without a peer (our own baselines at most): {string.Join(", ", none)}.");
        return string.Join(" ", sentences);
    }

    /// <summary>The peers of a kind with a figure in the run: a peer that did not run (no figure anywhere) is not listed.</summary>
    private static string[] Peers(BenchRun run, PeerKind kind) =>
        [.. run.Results.Where(r => r.PeerKind == kind && r.Peer is not null && r.PeerValue is not null).Select(r => r.Peer!).Distinct()];

    private IEnumerable<IReadOnlyList<string>> RunRows() => _runs.Select(run => (IReadOnlyList<string>)
    [
        run.Benchmark,
        run.Started.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
        (run.Seconds / 60).ToString("F1", CultureInfo.InvariantCulture),
        run.Arguments.Count == 0 ? "—" : string.Join(" ", run.Arguments),
        run.ExitCode.ToString(CultureInfo.InvariantCulture),
        run.ForeignCores is { } cores ? Cores(cores) : "unknown",
    ]);

    private static string Cores(double cores) => cores.ToString("F2", CultureInfo.InvariantCulture);
}
