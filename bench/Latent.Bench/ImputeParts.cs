using System.Text.Json;

namespace Latent.Bench;

/// <summary>
/// One table and mask of `impute`: every method's RMSE per seed (a peer's null when it did not run) and, per seed, the
/// key of the case's inputs in the <see cref="ImputePeerCache"/>.
/// </summary>
internal sealed record ImputeCase(string Table, string Mask, double[] Ours, double[] OursRounded, double[] OurKnn, double[] Mean,
    double SecondsPerFit, double[]? Knn, double[]? Iterative, string[] PeerKeys);

/// <summary>
/// The figures of one `impute` run over some of the tables (`--part=FILE` writes them), so that the tables can be
/// measured in parts, one after another or side by side, and reported together (`--merge=FILE,FILE`): the parts must
/// agree on the seeds and epochs, and no table may be in two of them.
/// </summary>
internal sealed record ImputePart(int Seeds, int? Epochs, string Threads, ImputeCase[] Cases)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public void Write(string path)
    {
        string staged = path + ".tmp";
        File.WriteAllText(staged, JsonSerializer.Serialize(this, Json));
        File.Move(staged, path, overwrite: true);
    }

    /// <summary>The cases with the peers they lack taken from <paramref name="cache"/> where it holds every seed's.</summary>
    public ImputePart WithPeers(ImputePeerCache cache) => this with
    {
        Cases = [.. Cases.Select(c => c.Knn is not null && c.Iterative is not null ? c
            : c.PeerKeys.Select(cache.Find).ToArray() is var found && found.All(f => f is not null)
                ? c with { Knn = [.. found.Select(f => f!.Knn)], Iterative = [.. found.Select(f => f!.Iterative)] }
                : c)],
    };

    /// <exception cref="ArgumentException">A part is missing or unreadable, the parts disagree on seeds or epochs, or a table is in two parts.</exception>
    public static ImputePart Merge(IReadOnlyList<string> paths)
    {
        var parts = new List<ImputePart>();
        foreach (string path in paths)
        {
            if (!File.Exists(path)) throw new ArgumentException($"The part '{path}' does not exist.");
            try
            {
                parts.Add(JsonSerializer.Deserialize<ImputePart>(File.ReadAllText(path)) ?? throw new JsonException());
            }
            catch (JsonException)
            {
                throw new ArgumentException($"'{path}' is not a part written by `impute --part`.");
            }
        }
        if (parts.Select(p => (p.Seeds, p.Epochs)).Distinct().Count() > 1)
            throw new ArgumentException("The parts were measured with different seeds or epochs, so they cannot be reported together.");
        ImputeCase[] cases = [.. parts.SelectMany(p => p.Cases)];
        if (cases.GroupBy(c => (c.Table, c.Mask)).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new ArgumentException($"The table '{twice.Key.Table}' ({twice.Key.Mask}) is in more than one part.");
        return new ImputePart(parts[0].Seeds, parts[0].Epochs, string.Join(", ", parts.Select(p => p.Threads).Distinct()), cases);
    }
}
