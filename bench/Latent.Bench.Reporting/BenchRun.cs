using System.Text.Json;
using System.Text.Json.Serialization;
using Latent.Storage;

namespace Latent.Bench.Reporting;

/// <summary>
/// What one run of one benchmark left: its results and curves with when, how and how cleanly it ran. Every run writes
/// one as <c>bench-results/&lt;benchmark&gt;.json</c>; the report gathers them.
/// </summary>
/// <param name="Benchmark">The verb, e.g. "dense".</param>
/// <param name="Arguments">The options it ran with, e.g. ["--quick"].</param>
/// <param name="ExitCode">0 when it finished with every comparison; a failed run may still carry our side's results.</param>
/// <param name="ForeignCores">Cores kept busy by other processes during the run, on average (null when unknown): above ~0.1 the timings are suspect.</param>
public sealed record BenchRun(string Benchmark, IReadOnlyList<string> Arguments, DateTimeOffset Started, double Seconds,
    int ExitCode, double? ForeignCores, IReadOnlyList<BenchResult> Results, IReadOnlyList<BenchCurve> Curves)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,   // a NaN figure stays NaN
        WriteIndented = true,
    };

    /// <summary>A <c>--quick</c> run: a smoke test on a subset, not figures to quote.</summary>
    public bool Quick => Arguments.Contains("--quick");

    /// <summary>Writes the run as JSON, atomically (a failure leaves no partial file).</summary>
    public void Save(string path) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, Json));

    /// <exception cref="InvalidDataException">The file is not a benchmark run's JSON.</exception>
    public static BenchRun Load(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<BenchRun>(File.ReadAllText(path), Json) is { Benchmark: not null, Arguments: not null, Results: not null, Curves: not null } run
                ? run
                : throw new InvalidDataException($"{path} is not a benchmark's results file.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not a benchmark's results file: {e.Message}", e);
        }
    }
}
