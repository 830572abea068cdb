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
/// A benchmark's results as one JSON file, <c>bench-results/&lt;benchmark&gt;.json</c> under the working directory:
/// <c>{"benchmark", "date", "quick", "protocol": [header lines], "results": [ResultRow…]}</c> with snake_case keys
/// and null for absent or non-finite numbers. A <c>--quick</c> run marks every result not comparable.
/// </summary>
internal static class ResultRows
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,   // "±" and "'" as they are: a file for people too
        WriteIndented = true,
    };

    public static void Write(string benchmark, IReadOnlyList<string> protocol, IEnumerable<ResultRow> rows, bool quick)
    {
        var document = new
        {
            benchmark,
            date = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
            quick,
            protocol,
            results = rows.Select(r => Finite(quick ? r with { Comparable = false, Note = Quick(r.Note) } : r)).ToList(),
        };
        string folder = Path.Combine(Directory.GetCurrentDirectory(), "bench-results"), path = Path.Combine(folder, benchmark + ".json");
        Directory.CreateDirectory(folder);
        File.WriteAllText(path + ".tmp", JsonSerializer.Serialize(document, Json));
        File.Move(path + ".tmp", path, overwrite: true);
        Console.WriteLine($"# results written to {path}");
    }

    private static string Quick(string? note) => note is null ? "quick run" : "quick run; " + note;

    /// <summary>JSON has no NaN: a peer figure or spread that is not a number is written as null; our own figure must be one.</summary>
    private static ResultRow Finite(ResultRow r) => double.IsFinite(r.Ours)
        ? r with { PeerValue = Keep(r.PeerValue), OursStd = Keep(r.OursStd), PeerStd = Keep(r.PeerStd), OursWorst = Keep(r.OursWorst) }
        : throw new InvalidOperationException($"Our figure for '{r.Measure}' is not a number.");

    private static double? Keep(double? value) => value is { } v && double.IsFinite(v) ? v : null;
}
