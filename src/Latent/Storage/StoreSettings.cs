using System.Globalization;

namespace Latent.Storage;

/// <summary>The info table's keys and checks, shared by every store.</summary>
internal static class StoreSettings
{
    public static IEnumerable<(string Key, string Value)> FromHeader(LatentStoreHeader header, int schemaVersion)
    {
        yield return ("schema_version", schemaVersion.ToString(CultureInfo.InvariantCulture));
        yield return ("fingerprint", header.Fingerprint);
        yield return ("code_size", header.CodeSize.ToString(CultureInfo.InvariantCulture));
        if (header.ModelPath is not null) yield return ("model_path", header.ModelPath);
        if (header.Source is not null) yield return ("source", header.Source);
        if (header.SourceSplit is not null) yield return ("source_split", header.SourceSplit);
    }

    public static LatentStoreHeader ToHeader(IReadOnlyDictionary<string, string> info, int schemaVersion, string location)
    {
        if (!info.TryGetValue("schema_version", out string? version) || !info.TryGetValue("fingerprint", out string? fingerprint)
            || !info.TryGetValue("code_size", out string? size) || !int.TryParse(size, CultureInfo.InvariantCulture, out int codeSize) || codeSize < 1)
            throw new InvalidDataException($"The index '{location}' is damaged: its info table lacks the schema version, fingerprint or code size.");
        if (version != schemaVersion.ToString(CultureInfo.InvariantCulture))
            throw new InvalidDataException($"The index '{location}' has schema version {version}; this version of Latent reads version {schemaVersion}.");
        return new LatentStoreHeader(fingerprint, codeSize, info.GetValueOrDefault("model_path"), info.GetValueOrDefault("source"),
            info.GetValueOrDefault("source_split"));
    }
}
