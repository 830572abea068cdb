namespace Latent.Models;

/// <summary>
/// A Latent model file that holds another kind of model than the one asked for (an imputer given where an
/// autoencoder is needed). It travels with the <see cref="InvalidDataException"/> that refuses the file (in its
/// <see cref="Exception.Data"/>), so that a caller can point to what uses the file; <see cref="Of"/> finds it.
/// </summary>
/// <param name="Path">The file, as the caller named it.</param>
/// <param name="Kind">The kind stored in the file (its <c>latent.model</c>), e.g. "imputer".</param>
/// <param name="Description">What the file holds, for messages: "an imputer".</param>
/// <param name="Expected">What was asked for: "an autoencoder", "a reducer".</param>
public sealed record ModelKindMismatch(string Path, string Kind, string Description, string Expected)
{
    private const string Key = "latent.model-kind-mismatch";

    /// <summary>The mismatch that <paramref name="e"/> reports, or null when it reports something else.</summary>
    public static ModelKindMismatch? Of(Exception e) => e.Data[Key] as ModelKindMismatch;

    /// <summary>"'imp.safetensors' holds an imputer, not an autoencoder.", carrying this mismatch.</summary>
    internal InvalidDataException ToException()
    {
        var e = new InvalidDataException($"'{Path}' holds {Description}, not {Expected}.");
        e.Data[Key] = this;
        return e;
    }
}
