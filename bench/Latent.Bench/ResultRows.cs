using System.Text.Json;
using System.Text.Json.Serialization;

namespace Latent.Bench;

/// <summary>
/// One compared figure of a benchmark: ours and, when there is one, the peer's for the same measure.
/// <see cref="PeerKind"/> is "implementation" (run here, in the same benchmark), "published" (a paper or a published
/// table) or "baseline" (a simpler method of our own, for scale). <see cref="Comparable"/> is true only when both
/// sides were measured the same way on the same data; <see cref="Note"/> says how they differ otherwise. Seeds, the
/// standard deviations (population, as numpy's) and our worst seed are null for a single run.
/// </summary>
internal sealed record ResultRow(string Measure, double Ours, string Unit, bool HigherIsBetter)
{
    public string? Peer { get; init; }
    public double? PeerValue { get; init; }
    public string PeerKind { get; init; } = "implementation";
    public bool Comparable { get; init; } = true;
    public int? Seeds { get; init; }
    public double? OursStd { get; init; }
    public double? PeerStd { get; init; }
    public double? OursWorst { get; init; }
    public string? Note { get; init; }

    /// <summary>Ours over several seeds: mean, std and worst filled from <paramref name="ours"/>.</summary>
    public static ResultRow Of(string measure, SeedStatistics ours, string unit, bool higherIsBetter) => new(measure, ours.Mean, unit, higherIsBetter)
    {
        Seeds = ours.Count, OursStd = ours.Count > 1 ? ours.Std : null, OursWorst = ours.Count > 1 ? ours.Worst(higherIsBetter) : null,
    };
}

/// <summary>
/// Hands a benchmark's rows to the shared <see cref="Results"/> API, which writes <c>bench-results/&lt;verb&gt;.json</c>
/// when the benchmark returns (a <c>--quick</c> run's rows are marked not comparable there). Our worst seed goes into
/// the note, which the report shows.
/// </summary>
internal static class ResultRows
{
    public static void Write(string benchmark, IReadOnlyList<string> protocol, IEnumerable<ResultRow> rows, bool quick)
    {
        foreach (ResultRow r in rows)
        {
            string? worst = r.OursWorst is { } w ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"our worst seed {w:G4}") : null;
            Results.Add(new BenchResult(r.Measure, r.Ours, r.Unit, r.HigherIsBetter)
            {
                Peer = r.Peer, PeerValue = r.PeerValue, Comparable = r.Comparable, Seeds = r.Seeds, OursStd = r.OursStd, PeerStd = r.PeerStd,
                PeerKind = r.PeerKind switch { "published" => PeerKind.Published, "baseline" => PeerKind.Baseline, _ => PeerKind.Implementation },
                Note = string.Join("; ", new[] { r.Note, worst }.Where(n => n is not null)) is { Length: > 0 } note ? note : null,
            });
        }
    }
}
