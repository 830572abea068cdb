using System.Globalization;

namespace Latent.Bench.Reporting;

/// <summary>
/// Several runs of one benchmark (<c>bench all --repeat N</c>) as one: this machine's timings wander by tens of percent
/// between runs minutes apart, more than the load monitor explains, so a quoted figure is the median over runs, each
/// run measuring both sides.
/// </summary>
public static class RepeatedRuns
{
    /// <summary>
    /// One run whose figures are the medians (<see cref="MedianRule"/>) of ours and of the peer's over
    /// <paramref name="runs"/>, each result's note listing the per-run ratios. Results are matched by position; the runs
    /// must have the same options and results (the same code and arguments). Curves and standard deviations are the first
    /// run's; the load is the worst run's; the exit code the first failure's.
    /// </summary>
    /// <exception cref="InvalidDataException">The runs are of different benchmarks, options or results.</exception>
    public static BenchRun Combine(IReadOnlyList<BenchRun> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        if (runs.Count == 0) throw new ArgumentException("There are no runs to combine.", nameof(runs));
        if (runs.Count == 1) return runs[0];
        BenchRun first = runs[0];
        foreach (BenchRun run in runs)
            if (run.Benchmark != first.Benchmark || !run.Arguments.SequenceEqual(first.Arguments) || run.Results.Count != first.Results.Count
                || run.Results.Zip(first.Results).Any(p => p.First.Measure != p.Second.Measure || p.First.Peer != p.Second.Peer))
                throw new InvalidDataException($"The repeated runs of {first.Benchmark} differ in their options or results; run them again together.");

        var results = first.Results.Select((result, i) =>
        {
            BenchResult[] repeats = [.. runs.Select(r => r.Results[i])];
            double? peer = repeats.All(r => r.PeerValue is not null) ? MedianRule.Of(repeats.Select(r => r.PeerValue!.Value)) : null;
            string ratios = string.Join(", ", repeats.Select(r => r.Ratio is { } ratio ? ratio.ToString("F2", CultureInfo.InvariantCulture) : "—"));
            string note = $"median of {runs.Count} runs{(peer is null ? "" : $" (ours / peer per run: {ratios})")}";
            return result with
            {
                Ours = MedianRule.Of(repeats.Select(r => r.Ours)),
                PeerValue = peer,
                Note = result.Note is null ? note : $"{result.Note}; {note}",
            };
        });
        return first with
        {
            Arguments = [.. first.Arguments, $"--repeat {runs.Count}"],
            Seconds = runs.Sum(r => r.Seconds),
            ExitCode = runs.FirstOrDefault(r => r.ExitCode != 0)?.ExitCode ?? 0,
            ForeignCores = runs.All(r => r.ForeignCores is not null) ? runs.Max(r => r.ForeignCores) : null,
            Results = [.. results],
        };
    }
}
