using System.Text.Json;
using Latent.Data;
using Latent.Engine;
using Latent.Models;
using Latent.Storage;
using Latent.Training;

namespace Latent.Applications.AnomalyDetection;

/// <summary>
/// A detector as one safetensors file: every member's weights under <c>member{i}.</c>, and in the metadata the
/// options, the members' architectures and median errors, the kept columns, the threshold and its rule, the
/// robust scaling and the table schema (Latent's usual <c>latent.*</c> keys).
/// </summary>
internal static class DetectorFile
{
    internal const string ModelKind = "anomaly-detector";
    private const string DetectorKey = "latent.detector";

    private sealed record DetectorJson(int InputWidth, int[] Kept, float Threshold, ThresholdKind Rule, double RuleValue,
        DenseAutoencoderConfig[] Members, float[] Medians);

    public static void Save(string path, AnomalyDetector detector)
    {
        Ensemble ensemble = detector.Ensemble;
        FeaturePreparation features = detector.Features;
        var description = new DetectorJson(features.InputWidth, features.Kept, detector.Threshold, detector.Options.Threshold.Kind,
            detector.Options.Threshold.Value, [.. ensemble.Members.Select(m => m.Config)], ensemble.Medians);
        var metadata = new Dictionary<string, string>
        {
            [ModelFile.FormatKey] = ModelFile.FormatVersion,
            [ModelFile.ModelKey] = ModelKind,
            [ModelFile.ConfigKey] = JsonSerializer.Serialize(detector.Options, ModelFile.Json),
            [DetectorKey] = JsonSerializer.Serialize(description, ModelFile.Json),
        };
        ModelFile.DescribeData(metadata, features.Scaler, features.Schema is { } schema ? new DataDescription(Schema: schema) : null);
        var tensors = ensemble.Members.SelectMany((member, i) =>
            ((ITrainable)member).Network.NamedTensors().Select(t => ($"member{i}.{t.Name}", t.Tensor)));
        SafeTensorsFile.Save(path, tensors, metadata);
    }

    public static AnomalyDetector Load(string path)
    {
        var (content, kind) = ModelFile.Read(path);
        if (kind != ModelKind) throw new InvalidDataException($"'{path}' holds a {kind} model, not an anomaly detector.");
        AnomalyOptions options;
        DetectorJson description;
        try
        {
            options = JsonSerializer.Deserialize<AnomalyOptions>(content.Metadata[ModelFile.ConfigKey], ModelFile.Json) ?? throw new JsonException();
            description = content.Metadata.TryGetValue(DetectorKey, out string? d)
                ? JsonSerializer.Deserialize<DetectorJson>(d, ModelFile.Json) ?? throw new JsonException()
                : throw new JsonException();
            options = options with { Threshold = ThresholdRule.Of(description.Rule, description.RuleValue) };
            options.Validate();
        }
        catch (Exception e) when (e is JsonException or ArgumentException or NotSupportedException)
        {
            throw new InvalidDataException($"'{path}' has an unreadable anomaly detector description.");
        }

        var (scaler, data) = ModelFile.ReadData(path, content.Metadata);
        if (scaler is not RobustScaler robust) throw new InvalidDataException($"'{path}' lacks the detector's robust column scaling.");
        var members = new DenseAutoencoder[description.Members.Length];
        var assigned = new HashSet<string>();
        for (int i = 0; i < members.Length; i++)
        {
            try
            {
                members[i] = new DenseAutoencoder(description.Members[i]);
            }
            catch (ArgumentException e)
            {
                throw new InvalidDataException($"'{path}' describes member {i} impossibly: {e.Message}");
            }
            string prefix = $"member{i}.";
            var own = content.Tensors.Where(t => t.Key.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary(t => t.Key[prefix.Length..], t => t.Value);
            ModelFile.AssignTensors(path, ((ITrainable)members[i]).Network, own);
            assigned.UnionWith(own.Keys.Select(k => prefix + k));
        }
        if (content.Tensors.Keys.FirstOrDefault(k => !assigned.Contains(k)) is { } extra)
            throw new InvalidDataException($"'{path}' has an unexpected tensor '{extra}'.");

        var features = new FeaturePreparation(data?.Schema, description.InputWidth, description.Kept, robust);
        if (members.Any(m => m.Inputs != features.Kept.Length * (options.Window ?? 1)))
            throw new InvalidDataException($"'{path}' has members whose input width does not match its columns.");
        return new AnomalyDetector(features, new Ensemble(members, description.Medians), options, description.Threshold);
    }
}
