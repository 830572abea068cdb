using System.Text.Json;
using System.Text.Json.Serialization;

namespace Latent.Data;

/// <summary>The JSON forms of fitted data transforms, kept in model files' metadata.</summary>
internal sealed record TableSchemaJson(string Format, List<SchemaColumnJson> Columns, List<string> Excluded);

internal sealed record SchemaColumnJson(string Name, string Kind, List<string>? Categories);

internal sealed record ScalerJson(string Kind, double[] Offset, double[] Divisor);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(TableSchemaJson))]
[JsonSerializable(typeof(ScalerJson))]
internal sealed partial class DataJsonContext : JsonSerializerContext
{
    /// <summary>Parses <paramref name="json"/>, turning every kind of failure into one clear <see cref="InvalidDataException"/>.</summary>
    public static T Parse<T>(string json, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, string what)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            return JsonSerializer.Deserialize(json, type) ?? throw new InvalidDataException($"The {what} JSON is 'null'.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"The {what} JSON is not valid: {e.Message}", e);
        }
    }
}
