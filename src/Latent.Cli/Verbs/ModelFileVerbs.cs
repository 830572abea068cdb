using Latent.Models;

namespace Latent.Cli.Verbs;

/// <summary>
/// Which command writes each kind of model file and which command uses it, so that a file given to the wrong verb is
/// answered with the right one. The kinds and what they are come from the library (<see cref="ModelKindAttribute"/>);
/// only the commands are the command line's.
/// </summary>
internal static class ModelFileVerbs
{
    /// <param name="WrittenBy">The command that writes the file.</param>
    /// <param name="UsedBy">The command that applies it, up to its model option: the file's path follows.</param>
    /// <param name="AlsoUsedBy">Other verbs that take it with --model.</param>
    internal sealed record Verbs(string WrittenBy, string UsedBy, string[] AlsoUsedBy);

    internal static readonly IReadOnlyDictionary<string, Verbs> ByKind = new Dictionary<string, Verbs>(StringComparer.Ordinal)
    {
        ["dense"] = new("latent train", "latent encode --model", ["reconstruct", "features", "index build"]),
        ["conv"] = new("latent train --kind conv", "latent encode --model", ["reconstruct", "denoise", "features", "index build"]),
        ["vae"] = new("latent train --kind vae", "latent generate --model", ["encode", "reconstruct", "features", "index build"]),
        ["imputer"] = new("latent impute --save", "latent impute --model", []),
        ["reducer"] = new("latent reduce --save", "latent reduce --model", []),
        ["clusterer"] = new("latent cluster --save", "latent cluster --model", []),
        ["anomaly-detector"] = new("latent detect fit", "latent detect score --model", []),
        ["recommender"] = new("latent recommend fit", "latent recommend top --model", []),
        ["colorizer"] = new("latent train --kind unet --task colorize", "latent colorize --model", []),
        ["segmenter"] = new("latent train --kind unet --task segment", "latent segment --model", []),
    };

    /// <summary>
    /// "'imp.safetensors' is an imputer (written by 'latent impute --save'), not an autoencoder; use it with
    /// 'latent impute --model imp.safetensors'." A kind no command writes is only named.
    /// </summary>
    public static string Explain(ModelKindMismatch mismatch)
    {
        string what = $"'{mismatch.Path}' is {mismatch.Description}";
        if (!ByKind.TryGetValue(mismatch.Kind, out Verbs? verbs)) return $"{what}, not {mismatch.Expected}.";
        string others = verbs.AlsoUsedBy.Length switch
        {
            0 => "",
            1 => $" (or '{verbs.AlsoUsedBy[0]}')",
            _ => $" (or {string.Join(", ", verbs.AlsoUsedBy[..^1].Select(v => $"'{v}'"))} or '{verbs.AlsoUsedBy[^1]}')",
        };
        return $"{what} (written by '{verbs.WrittenBy}'), not {mismatch.Expected}; use it with '{verbs.UsedBy} {mismatch.Path}'{others}.";
    }
}
