using System.Text.Json;

namespace Latent.Bench;

/// <summary>Reading the keys every reference script's JSON line shares (shared/reference/README.md).</summary>
internal static class ReferenceJson
{
    /// <summary>The numbers of a list such as <c>epoch_seconds</c> (a null entry is NaN).</summary>
    public static double[] Doubles(this JsonElement json, string key) =>
        [.. json.GetProperty(key).EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Number ? e.GetDouble() : double.NaN)];

    /// <summary>"PyTorch 1.13.0a0" (from <c>torch_version</c>), or "scikit-learn" for the scripts without torch.</summary>
    public static string PeerName(this JsonElement json) =>
        json.TryGetProperty("torch_version", out JsonElement v) && v.ValueKind == JsonValueKind.String ? $"PyTorch {v.GetString()}" : "scikit-learn";
}
