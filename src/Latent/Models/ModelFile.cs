using System.Text.Json;
using System.Text.Json.Serialization;
using Latent.Data;
using Latent.Engine;
using Latent.Imaging;
using Latent.Engine.Nn;
using Latent.Storage;
using Latent.Training;

namespace Latent.Models;

/// <summary>
/// The conventions of Latent's model files: safetensors whose metadata says which model it is
/// (<c>latent.model</c>), how to rebuild it (<c>latent.config</c>, JSON) and how it was trained
/// (<c>latent.training</c>). <see cref="Load"/> opens any of them.
/// </summary>
public static class ModelFile
{
    internal const string FormatKey = "latent.format", ModelKey = "latent.model", ConfigKey = "latent.config", TrainingKey = "latent.training";
    private const string ScalerKey = "latent.scaler", SchemaKey = "latent.schema", ImageKey = "latent.image";
    internal const string FormatVersion = "1";

    internal static readonly JsonSerializerOptions Json = new()
    {
        Converters = { new JsonStringEnumConverter() },
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    /// <summary>Opens a model file of any kind Latent writes.</summary>
    public static IAutoencoder Load(string path)
    {
        var (_, kind) = Read(path);
        return kind switch
        {
            DenseAutoencoder.ModelKind => DenseAutoencoder.Load(path),
            ConvAutoencoder.ModelKind => ConvAutoencoder.Load(path),
            VariationalAutoencoder.ModelKind => VariationalAutoencoder.Load(path),
            _ => throw new InvalidDataException($"'{path}' holds a model of kind '{kind}', which this version of Latent does not know."),
        };
    }

    /// <summary>Reads the file and checks that it is a Latent model; returns its content and kind.</summary>
    internal static (SafeTensorsContent Content, string Kind) Read(string path)
    {
        SafeTensorsContent content = SafeTensorsFile.Load(path);
        if (!content.Metadata.TryGetValue(FormatKey, out string? format) || !content.Metadata.TryGetValue(ModelKey, out string? kind)
            || !content.Metadata.ContainsKey(ConfigKey))
            throw new InvalidDataException($"'{path}' is a safetensors file but not a Latent model (its metadata has no latent.model).");
        if (format != FormatVersion)
            throw new InvalidDataException($"'{path}' uses Latent model format {format}; this version reads format {FormatVersion}.");
        return (content, kind);
    }

    /// <summary>Writes a model atomically: its tensors, kind, configuration, training summary and description of its data.</summary>
    internal static void Save<TConfig>(string path, string kind, TConfig config, Module network, History? history, IScaler? scaler, DataDescription? data,
        IReadOnlyDictionary<string, string>? extra = null)
    {
        var metadata = new Dictionary<string, string>
        {
            [FormatKey] = FormatVersion,
            [ModelKey] = kind,
            [ConfigKey] = JsonSerializer.Serialize(config, Json),
        };
        if (history is not null) metadata[TrainingKey] = DescribeTraining(history);
        foreach (var (key, value) in extra ?? new Dictionary<string, string>()) metadata[key] = value;
        DescribeData(metadata, scaler, data);
        SafeTensorsFile.Save(path, network.NamedTensors(), metadata);
    }

    /// <summary>Reads a model file that must hold a model of <paramref name="kind"/> (<paramref name="what"/> in messages) and its configuration.</summary>
    /// <exception cref="InvalidDataException">Not a Latent model, another kind, or an unreadable configuration.</exception>
    internal static (SafeTensorsContent Content, TConfig Config) Open<TConfig>(string path, string kind, string what, Action<TConfig>? validate = null)
    {
        var (content, found) = Read(path);
        if (found != kind) throw new InvalidDataException($"'{path}' holds a {found} model, not {what}.");
        try
        {
            TConfig config = JsonSerializer.Deserialize<TConfig>(content.Metadata[ConfigKey], Json) ?? throw new JsonException();
            validate?.Invoke(config);
            return (content, config);
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            throw new InvalidDataException($"'{path}' has an unreadable model configuration.");
        }
    }

    /// <summary>Copies the file's tensors into the module; every name and shape must match exactly.</summary>
    internal static void AssignTensors(string path, Module module, IReadOnlyDictionary<string, Tensor> tensors)
    {
        var expected = module.NamedTensors().ToList();
        foreach (var (name, tensor) in expected)
        {
            if (!tensors.TryGetValue(name, out Tensor? stored))
                throw new InvalidDataException($"'{path}' lacks the tensor '{name}' that this model needs.");
            if (!stored.Shape.SequenceEqual(tensor.Shape))
                throw new InvalidDataException(
                    $"'{path}': tensor '{name}' has shape [{string.Join(", ", stored.Shape)}] but the model expects [{string.Join(", ", tensor.Shape)}].");
            stored.Span.CopyTo(tensor.Span);
        }
        foreach (string name in tensors.Keys)
            if (!expected.Any(e => e.Name == name)) throw new InvalidDataException($"'{path}' has an unexpected tensor '{name}'.");
    }

    /// <summary>Stores the scaling and the description of the rows in the metadata.</summary>
    internal static void DescribeData(Dictionary<string, string> metadata, IScaler? scaler, DataDescription? data)
    {
        if (scaler is not null) metadata[ScalerKey] = scaler.ToJson();
        if (data?.Schema is { } schema) metadata[SchemaKey] = schema.ToJson();
        if (data?.Image is { } image) metadata[ImageKey] = JsonSerializer.Serialize(new[] { image.Channels, image.Height, image.Width });
    }

    /// <summary>Reads what <see cref="DescribeData"/> stored.</summary>
    internal static (IScaler? Scaler, DataDescription? Data) ReadData(string path, IReadOnlyDictionary<string, string> metadata)
    {
        try
        {
            IScaler? scaler = metadata.TryGetValue(ScalerKey, out string? s) ? Scalers.FromJson(s) : null;
            TableSchema? schema = metadata.TryGetValue(SchemaKey, out string? t) ? TableSchema.FromJson(t) : null;
            ImageShape? image = null;
            if (metadata.TryGetValue(ImageKey, out string? i) && JsonSerializer.Deserialize<int[]>(i) is [int c, int h, int w]) image = new ImageShape(c, h, w);
            return (scaler, schema is null && image is null ? null : new DataDescription(image, schema));
        }
        catch (Exception e) when (e is JsonException or InvalidDataException)
        {
            throw new InvalidDataException($"'{path}' has unreadable data metadata: {e.Message}");
        }
    }

    internal static string DescribeTraining(History history) => JsonSerializer.Serialize(new
    {
        epochs = history.Epochs.Count,
        best_epoch = history.BestEpoch,
        stop_reason = history.StopReason.ToString(),
        seconds = history.TotalSeconds,
        train_loss = history.Epochs.Select(e => e.TrainLoss),
        validation_loss = history.Epochs.Select(e => e.ValidationLoss),
    }, Json);
}
