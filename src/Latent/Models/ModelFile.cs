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
/// (<c>latent.training</c>). Every model and fitted application is saved and opened here; <see cref="Open"/> opens any
/// of them by its kind, found through <see cref="ModelKindAttribute"/>, so a new kind adds a file, not a case.
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

    /// <summary>Opens a file of any kind Latent writes (a model or a fitted application).</summary>
    /// <exception cref="InvalidDataException">Not a Latent model file, damaged, or of a kind this version does not know.</exception>
    public static object Open(string path) => EntryOf(path).Open(path);

    /// <summary>Opens a file that must hold an autoencoder (dense, convolutional, variational, …).</summary>
    /// <exception cref="InvalidDataException">Not a Latent model file, damaged, or one that holds something other than an autoencoder (then with a <see cref="ModelKindMismatch"/>).</exception>
    public static IAutoencoder OpenAutoencoder(string path)
    {
        ModelKinds.Entry entry = EntryOf(path);
        if (!entry.Type.IsAssignableTo(typeof(IAutoencoder)))
            throw new ModelKindMismatch(path, entry.Kind, entry.Description, "an autoencoder").ToException();
        return (IAutoencoder)entry.Open(path);
    }

    /// <summary>The registered class for the kind stored in the file.</summary>
    private static ModelKinds.Entry EntryOf(string path)
    {
        string kind = KindOf(path);
        return ModelKinds.Find(kind) ?? throw new InvalidDataException($"'{path}' holds a model of kind '{kind}', which this version of Latent does not know.");
    }

    /// <summary>The kind stored in a Latent model file (e.g. "dense", "anomaly-detector").</summary>
    public static string KindOf(string path) => Read(path).Kind;

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

    /// <summary>Writes a model atomically: its tensors and metadata (see <see cref="Content{TConfig}(object, TConfig, Module, History?, IScaler?, DataDescription?, IReadOnlyDictionary{string, string}?)"/>).</summary>
    internal static void Save(string path, ModelContent content) => SafeTensorsFile.Save(path, content.Tensors, content.Metadata);

    /// <summary>What a model file holds: its tensors, kind, configuration, training summary and description of its data.</summary>
    internal static ModelContent Content<TConfig>(object model, TConfig config, Module network, History? history, IScaler? scaler, DataDescription? data,
        IReadOnlyDictionary<string, string>? extra = null) =>
        Content(model, config, [.. network.NamedTensors()], history, scaler, data, extra);

    /// <summary>As above, for a model whose tensors are not a module's.</summary>
    internal static ModelContent Content<TConfig>(object model, TConfig config, IReadOnlyList<(string Name, Tensor Tensor)> tensors, History? history,
        IScaler? scaler, DataDescription? data, IReadOnlyDictionary<string, string>? extra = null)
    {
        var metadata = new Dictionary<string, string>
        {
            [FormatKey] = FormatVersion,
            [ModelKey] = ModelKinds.Of(model.GetType()).Kind,
            [ConfigKey] = JsonSerializer.Serialize(config, Json),
        };
        if (history is not null) metadata[TrainingKey] = DescribeTraining(history);
        foreach (var (key, value) in extra ?? new Dictionary<string, string>()) metadata[key] = value;
        DescribeData(metadata, scaler, data);
        return new ModelContent(metadata, tensors);
    }

    /// <summary>Reads a model file that must hold a <typeparamref name="TModel"/> (its <see cref="ModelKindAttribute"/>) and its configuration.</summary>
    /// <exception cref="InvalidDataException">Not a Latent model, another kind (then with a <see cref="ModelKindMismatch"/>), or an unreadable configuration.</exception>
    internal static (SafeTensorsContent Content, TConfig Config) Read<TModel, TConfig>(string path, Action<TConfig>? validate = null)
    {
        ModelKindAttribute expected = ModelKinds.Of<TModel>();
        var (content, found) = Read(path);
        if (found != expected.Kind)
            throw new ModelKindMismatch(path, found, ModelKinds.Find(found)?.Description ?? $"a '{found}' model", expected.Description).ToException();
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

/// <summary>What a model file holds, before it is written: the metadata and the named tensors.</summary>
internal sealed record ModelContent(IReadOnlyDictionary<string, string> Metadata, IReadOnlyList<(string Name, Tensor Tensor)> Tensors);

/// <summary>A model or fitted application that is saved as a model file; its content is also what its fingerprint hashes.</summary>
internal interface ISavedModel
{
    ModelContent Content();
}
