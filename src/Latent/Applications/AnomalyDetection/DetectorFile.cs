using System.Text.Json;
using Latent.Data;
using Latent.Engine;
using Latent.Engine.Nn;
using Latent.Models;
using Latent.Models.Sequence;
using Latent.Training;

namespace Latent.Applications.AnomalyDetection;

/// <summary>
/// A detector as one safetensors model file (<see cref="ModelFile"/>): every autoencoder's weights under
/// <c>member{i}.</c> (dense or LSTM: a detector's members are all of one kind), the neighbour samples as <c>neighbours{i}</c> and the tails' sorted columns as <c>tails</c>; in
/// the metadata the options, the members' architectures and median errors, the neighbour and tail medians, the kept
/// columns, the threshold and its rule, the robust scaling and the table schema. A file written before the detector
/// had other scorers than autoencoders opens as an autoencoder-only detector.
/// </summary>
internal static class DetectorFile
{
    private const string DetectorKey = "latent.detector";

    private sealed record DetectorJson(int InputWidth, int[] Kept, float Threshold, ThresholdKind Rule, double RuleValue,
        DenseAutoencoderConfig[] Members, float[] Medians, int[]? NeighbourRows = null, int Neighbours = 0, float[]? NeighbourMedians = null,
        int? TailRows = null, float TailMedian = 0, SequenceAutoencoderConfig[]? SequenceMembers = null);

    public static ModelContent Content(AnomalyDetector detector)
    {
        CombinedScorer scorer = detector.Scorer;
        FeaturePreparation features = detector.Features;
        NeighbourDistance? neighbours = scorer.Neighbours;
        var description = new DetectorJson(features.InputWidth, features.Kept, detector.Threshold, detector.Options.Threshold.Kind,
            detector.Options.Threshold.Value, [.. scorer.Autoencoders?.Members.OfType<DenseAutoencoder>().Select(m => m.Config) ?? []], scorer.Autoencoders?.Medians ?? [],
            neighbours?.Samples.Select(s => s.Dim(0)).ToArray(), neighbours?.Neighbours ?? 0, neighbours?.Medians,
            scorer.Tails?.SortedColumns.Dim(1), scorer.Tails?.Median ?? 0,
            scorer.Autoencoders?.Members.OfType<SequenceAutoencoder>().Select(m => m.Config).ToArray() is { Length: > 0 } sequences ? sequences : null);
        return ModelFile.Content(detector, detector.Options, new Tensors(scorer.Autoencoders?.Members ?? [], neighbours?.Samples ?? [], scorer.Tails?.SortedColumns),
            history: null, features.Scaler, features.Schema is { } schema ? new DataDescription(Schema: schema) : null,
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
        var features = new FeaturePreparation(data?.Schema, description.InputWidth, description.Kept, robust);
        int width = features.Kept.Length * (options.Window ?? 1);
        IAutoencoder[] members;
        try
        {
            members = [.. (description.Members ?? []).Select(config => new DenseAutoencoder(config)),
                .. (description.SequenceMembers ?? []).Select(config => new SequenceAutoencoder(config))];
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"'{path}' describes an impossible member: {e.Message}");
        }
        int[] neighbourRows = description.NeighbourRows ?? [];
        if (neighbourRows.Any(r => r < 2) || description.TailRows is < 1)
            throw new InvalidDataException($"'{path}' has an unreadable anomaly detector description.");
        Tensor[] samples = [.. neighbourRows.Select(rows => Tensor.Zeros(rows, width))];
        Tensor? tails = description.TailRows is { } tailRows ? Tensor.Zeros(width, tailRows) : null;
        ModelFile.AssignTensors(path, new Tensors(members, samples, tails), content.Tensors);

        if (members.Any(m => m.Inputs != width))
            throw new InvalidDataException($"'{path}' has members whose input width does not match its columns.");
        var scorer = new CombinedScorer(
            members.Length > 0 ? new Ensemble(members, description.Medians ?? []) : null,
            samples.Length > 0 ? new NeighbourDistance(samples, description.Neighbours, description.NeighbourMedians ?? []) : null,
            tails is not null ? new EmpiricalTails(tails, description.TailMedian) : null);
        return new AnomalyDetector(features, scorer, options with { Scorers = scorer.Kinds }, description.Threshold);
    }

    /// <summary>The scorers' tensors as one module, so that they are named member0.…, neighbours0, tails in the file.</summary>
    private sealed class Tensors : Module
    {
        public Tensors(IAutoencoder[] members, Tensor[] samples, Tensor? tails)
        {
            for (int i = 0; i < members.Length; i++) AddModule($"member{i}", ((ITrainable)members[i]).Network);
            for (int i = 0; i < samples.Length; i++) AddBuffer($"neighbours{i}", samples[i]);
            if (tails is not null) AddBuffer("tails", tails);
        }

        public override Tensor Forward(Tensor input) => throw new NotSupportedException("A detector's scorers score rows one by one.");
    }
}
