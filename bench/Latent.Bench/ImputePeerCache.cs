using System.Security.Cryptography;
using System.Text.Json;
using Latent.Engine;

namespace Latent.Bench;

/// <summary>
/// The reference peers' RMSEs for `impute`, stored by a hash of the case's inputs (the normalised table and its
/// copy with the hidden cells, and the seed the peers are given): the peers see nothing else, so a case whose inputs
/// hash the same gives the same figures, and a later run (a change to our imputer, another part of the tables) need
/// not run scikit-learn again. The peers' runs are most of the benchmark's time (KNNImputer on letter and smtp,
/// both on mnist). Without a folder the figures are kept for this run only.
/// </summary>
internal sealed class ImputePeerCache(string? folder)
{
    private readonly Dictionary<string, Figures> _known = [];

    public sealed record Figures(double Knn, double Iterative);

    /// <summary>The key of one case: SHA-256 of its seed and both tables' shapes and values.</summary>
    public static string Key(int seed, Tensor truth, Tensor holed)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(BitConverter.GetBytes(seed));
        foreach (Tensor t in (Tensor[])[truth, holed])
        {
            hash.AppendData(BitConverter.GetBytes(t.Dim(0)));
            hash.AppendData(BitConverter.GetBytes(t.Dim(1)));
            hash.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(t.Span));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    public Figures? Find(string key)
    {
        if (_known.TryGetValue(key, out Figures? figures)) return figures;
        string? path = folder is null ? null : Path.Combine(folder, key + ".json");
        return path is not null && File.Exists(path) ? _known[key] = JsonSerializer.Deserialize<Figures>(File.ReadAllText(path))! : null;
    }

    public void Store(string key, Figures figures)
    {
        _known[key] = figures;
        if (folder is null) return;
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, key + ".json"), staged = path + ".tmp";
        File.WriteAllText(staged, JsonSerializer.Serialize(figures));
        File.Move(staged, path, overwrite: true);
    }
}
