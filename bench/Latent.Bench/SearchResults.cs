using System.Text.Encodings.Web;
using System.Text.Json;

namespace Latent.Bench;

/// <summary>One compared figure of the search benchmark: ours beside a peer's (or a baseline's) for one measure.</summary>
/// <param name="Benchmark">"search/" and the data set, e.g. "search/gaussian-32".</param>
/// <param name="PeerValue">Null when the peer did not run.</param>
internal sealed record SearchRecord(string Benchmark, string Measure, double Ours, string Peer, double? PeerValue, string Unit);

/// <summary>One point of an approximate search's recall–throughput curve.</summary>
/// <param name="Name">"latent", "faiss IndexHNSWFlat" or "hnswlib".</param>
internal sealed record CurvePoint(string Benchmark, string Name, int Ef, double Recall, double Qps);

/// <summary>
/// What one run of the search benchmark found, as written to <see cref="DefaultPath"/> for the report:
/// the compared figures and the recall–throughput curves. Quick runs are marked not comparable.
/// </summary>
internal sealed record SearchResults(string Date, bool Quick, int Threads, string Protocol, List<SearchRecord> Records, List<CurvePoint> Curves)
{
    public const string DefaultPath = "bench-results/search.json";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,   // keeps ≥ and apostrophes readable
    };

    /// <summary>False for a quick run: small subsets and short windows, not figures to quote.</summary>
    public bool Comparable => !Quick;

    /// <summary>Writes the results as JSON (a temporary file renamed into place, so a reader never sees half a file).</summary>
    public void Write(string path)
    {
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null) Directory.CreateDirectory(folder);
        string temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(this, Json));
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Reads results written by <see cref="Write"/>.</summary>
    public static SearchResults Load(string path) =>
        JsonSerializer.Deserialize<SearchResults>(File.ReadAllText(path), Json) ?? throw new InvalidDataException($"{path} holds no search results.");
}
