using System.Text.Json;
using System.Text.Json.Serialization;

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
/// Everything a benchmark run compared, written as <c>&lt;folder&gt;/&lt;benchmark&gt;.json</c> (folder: <c>--results=DIR</c>,
/// default <c>bench-results</c> under the working directory) for the report. Keys are snake_case; non-finite numbers
/// are null. <see cref="Protocol"/> holds the header lines the benchmark printed.
/// </summary>
internal sealed record BenchResults(string Benchmark, bool Quick, IReadOnlyList<string> Protocol, IReadOnlyList<ResultRecord> Results,
    IReadOnlyList<CurveRecord> Curves, double? OursForeignLoadCores, double? PeerForeignLoadCores)
{
    public string Date { get; init; } = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,   // a file, not HTML: keep ' and √ readable
        Converters = { new FiniteOrNull() },
    };

    /// <summary>Writes the file (whole or not at all) and says where.</summary>
    public string Write(string[] args)
    {
        string folder = BenchOptions.Value(args, "--results") ?? "bench-results";
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, Benchmark + ".json"), temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(this, Json));
        File.Move(temporary, path, overwrite: true);
        Console.WriteLine($"# results: {Path.GetFullPath(path)}");
        return path;
    }

    /// <summary>JSON has no NaN or infinity: they are written as null.</summary>
    private sealed class FiniteOrNull : JsonConverter<double>
    {
        public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetDouble();

        public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
        {
            if (double.IsFinite(value)) writer.WriteNumberValue(value);
            else writer.WriteNullValue();
        }
    }
}
