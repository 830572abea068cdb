namespace Latent.Bench;

/// <summary>
/// One compared figure: ours and the peer's in one unit. <see cref="Comparable"/> is false where the two sides were
/// not measured alike (a quick run, or our default recipe beside the peer's); <see cref="PeerValue"/> is null for a
/// figure only we measure.
/// </summary>
internal sealed record ResultRecord(string Benchmark, string Measure, double Ours, string Peer, double? PeerValue, string Unit,
    bool Comparable, bool HigherIsBetter, string? Note = null);

/// <summary>A per-epoch curve of ours and of the peer, element i being epoch i + 1.</summary>
internal sealed record CurveRecord(string Benchmark, string Measure, string Unit, IReadOnlyList<double> Ours, string Peer,
    IReadOnlyList<double> PeerValues, string? Note = null);

/// <summary>
/// Everything a benchmark run compared, handed to the shared <see cref="Results"/> API, which writes
/// <c>bench-results/&lt;benchmark&gt;.json</c> (with the run's options and load) when the benchmark returns.
/// </summary>
internal sealed record BenchResults(IReadOnlyList<ResultRecord> Results, IReadOnlyList<CurveRecord> Curves)
{
    public void Write()
    {
        foreach (ResultRecord r in Results)
            Bench.Results.Add(new BenchResult(r.Measure, r.Ours, r.Unit, r.HigherIsBetter)
            {
                Peer = r.PeerValue is null ? null : r.Peer, PeerValue = r.PeerValue, Comparable = r.Comparable, Note = r.Note,
            });
        foreach (CurveRecord c in Curves)
            Bench.Results.Curve(new BenchCurve($"{c.Benchmark}: {c.Measure}", "epoch", c.Unit,
                [CurveSide.PerEpoch("ours", c.Ours), CurveSide.PerEpoch(c.Peer, c.PeerValues)]));
    }
}
