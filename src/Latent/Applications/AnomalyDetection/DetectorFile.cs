using System.Text.Json;
using Latent.Data;
using Latent.Engine;
using Latent.Engine.Nn;
using Latent.Models;
using Latent.Training;

namespace Latent.Applications.AnomalyDetection;

/// <summary>
/// A detector as one safetensors model file (<see cref="ModelFile"/>): every member's weights under <c>member{i}.</c>;
/// in the metadata the options, the members' architectures and median errors, the kept columns, the threshold and
/// its rule, the robust scaling and the table schema.
/// </summary>
internal static class DetectorFile
{
    private const string DetectorKey = "latent.detector";

    private sealed record DetectorJson(int InputWidth, int[] Kept, float Threshold, ThresholdKind Rule, double RuleValue,
        DenseAutoencoderConfig[] Members, float[] Medians);

    public static ModelContent Content(AnomalyDetector detector)
    {
        Ensemble ensemble = detector.Ensemble;
        FeaturePreparation features = detector.Features;
        var description = new DetectorJson(features.InputWidth, features.Kept, detector.Threshold, detector.Options.Threshold.Kind,
            detector.Options.Threshold.Value, [.. ensemble.Members.Select(m => m.Config)], ensemble.Medians);
        return ModelFile.Content(detector, detector.Options, new Members(ensemble.Members), history: null, features.Scaler,
            features.Schema is { } schema ? new DataDescription(Schema: schema) : null,
            new Dictionary<string, string> { [DetectorKey] = JsonSerializer.Serialize(description, ModelFile.Json) });
    }

    public static AnomalyDetector Open(string path)
    {
        var (content, options) = ModelFile.Read<AnomalyDetector, AnomalyOptions>(path);
        DetectorJson description;
        try
        {
            description = content.Metadata.TryGetValue(DetectorKey, out string? d)
                ? JsonSerializer.Deserialize<DetectorJson>(d, ModelFile.Json) ?? throw new JsonException()
                : throw new JsonException();
            options = options with { Threshold = ThresholdRule.Of(description.Rule, description.RuleValue) };
            options.Validate();
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            throw new InvalidDataException($"'{path}' has an unreadable anomaly detector description.");
        }

        var (scaler, data) = ModelFile.ReadData(path, content.Metadata);
        if (scaler is not RobustScaler robust) throw new InvalidDataException($"'{path}' lacks the detector's robust column scaling.");
        DenseAutoencoder[] members;
        try
        {
            members = [.. description.Members.Select(config => new DenseAutoencoder(config))];
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"'{path}' describes an impossible member: {e.Message}");
        }
        ModelFile.AssignTensors(path, new Members(members), content.Tensors);

        var features = new FeaturePreparation(data?.Schema, description.InputWidth, description.Kept, robust);
        if (members.Any(m => m.Inputs != features.Kept.Length * (options.Window ?? 1)))
            throw new InvalidDataException($"'{path}' has members whose input width does not match its columns.");
        return new AnomalyDetector(features, new Ensemble(members, description.Medians), options, description.Threshold);
    }

    /// <summary>The members' networks as one module, so that their tensors are named member0.…, member1.… in the file.</summary>
    private sealed class Members : Module
    {
        public Members(DenseAutoencoder[] members)
        {
            for (int i = 0; i < members.Length; i++) AddModule($"member{i}", ((ITrainable)members[i]).Network);
        }

        public override Tensor Forward(Tensor input) => throw new NotSupportedException("An ensemble's members score rows one by one.");
    }
}
