using System.Text.Json;
using Latent.Data;
using Latent.Engine;
using Latent.Engine.Nn;
using Latent.Models;
using Latent.Training;

namespace Latent.Applications.Features;

/// <summary>
/// A small built-in classifier for features: softmax regression, or an MLP with <see cref="ClassifierOptions.Hidden"/>
/// layers, trained with cross-entropy and AdamW on standardised features. Enough to compare feature sets
/// (raw, PCA, autoencoder codes) fairly; not a replacement for a tuned model.
/// </summary>
/// <example>
/// <code>
/// Classifier classifier = Classifier.Fit(codes, labels, new ClassifierOptions { Epochs = 300 });
/// double accuracy = classifier.Accuracy(testCodes, testLabels);
/// </code>
/// </example>
[ModelKind("classifier", "a classifier")]
public sealed class Classifier : ISavedModel
{
    private const string ShapeKey = "latent.classifier";

    private readonly Network _network;
    private readonly StandardScaler _scaler;

    private Classifier(Network network, StandardScaler scaler, ClassifierOptions options, History? history)
    {
        _network = network;
        _scaler = scaler;
        Options = options;
        History = history;
    }

    /// <summary>The options it was fitted with.</summary>
    public ClassifierOptions Options { get; }

    /// <summary>The training run (null after <see cref="Open"/>).</summary>
    public History? History { get; }

    /// <summary>Number of classes: one more than the largest label seen (at least 2).</summary>
    public int Classes => _network.Classes;

    /// <summary>Number of features per row.</summary>
    public int Inputs => _network.Inputs;

    /// <exception cref="ArgumentException">Features and labels disagree in count, a label is negative, a value is not finite, or an option is out of range.</exception>
    public static Classifier Fit(Tensor features, int[] labels, ClassifierOptions? options = null, IProgress<TrainingProgress>? progress = null,
        CancellationToken cancel = default)
    {
        options ??= new ClassifierOptions();
        options.Validate();
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        if (features.Rank != 2 || features.Dim(0) != labels.Length || labels.Length == 0)
            throw new ArgumentException($"Features [rows, columns] and one label per row are needed; got shape [{string.Join(", ", features.Shape)}] and {labels.Length} labels.");
        if (labels.Min() < 0) throw new ArgumentException("Labels must be whole numbers from 0 up.");
        RowChecks.Finite(features);
        int classes = Math.Max(2, labels.Max() + 1), inputs = features.Dim(1);
        StandardScaler scaler = StandardScaler.Fit(features);

        // The training rows carry their label as a last column: [standardised features | label].
        using Tensor scaled = scaler.Transform(features);
        using Tensor rows = Tensor.Zeros(labels.Length, inputs + 1);
        ReadOnlySpan<float> x = scaled.Span;
        Span<float> t = rows.Span;
        for (int r = 0; r < labels.Length; r++)
        {
            x.Slice(r * inputs, inputs).CopyTo(t.Slice(r * (inputs + 1), inputs));
            t[r * (inputs + 1) + inputs] = labels[r];
        }
        var network = new Network(inputs, classes, options.Hidden, new Rng(options.Seed));
        History history = Trainer.Fit(network, rows, new FitOptions
        {
            Epochs = options.Epochs, BatchSize = options.BatchSize, LearningRate = options.LearningRate,
            Optimizer = OptimizerKind.AdamW, WeightDecay = options.WeightDecay,
            ValidationFraction = 0, RestoreBestWeights = false, Seed = options.Seed,
        }, progress, cancel);
        return new Classifier(network, scaler, options, history);
    }

    /// <summary>The most likely class of each row.</summary>
    /// <exception cref="ArgumentException">The rows are not [rows, <see cref="Inputs"/>].</exception>
    public int[] Predict(Tensor features)
    {
        RowChecks.Rows(features, Inputs, "Predict");
        using var _ = Tensor.NoGrad();
        using Tensor x = _scaler.Transform(features);
        using Tensor scores = _network.Layers.Forward(x);
        var result = new int[features.Dim(0)];
        ReadOnlySpan<float> s = scores.Span;
        for (int r = 0; r < result.Length; r++)
        {
            ReadOnlySpan<float> row = s.Slice(r * Classes, Classes);
            result[r] = row.IndexOf(System.Numerics.Tensors.TensorPrimitives.Max(row));
        }
        return result;
    }

    /// <summary>Fraction of rows predicted as their label.</summary>
    /// <exception cref="ArgumentException">The rows do not match the classifier or the labels.</exception>
    public double Accuracy(Tensor features, int[] labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        int[] predicted = Predict(features);
        if (labels.Length != predicted.Length) throw new ArgumentException($"{labels.Length} labels for {predicted.Length} rows.");
        return predicted.Where((p, i) => p == labels[i]).Count() / (double)labels.Length;
    }

    // ------------------------------------------------------------------ files

    /// <summary>Saves the classifier (weights, feature scaling, options) as one safetensors file, atomically.</summary>
    public void Save(string path) => ModelFile.Save(path, ((ISavedModel)this).Content());

    ModelContent ISavedModel.Content() => ModelFile.Content(this, Options, _network.Layers, History, _scaler, data: null,
        new Dictionary<string, string> { [ShapeKey] = JsonSerializer.Serialize(new[] { Inputs, Classes }) });

    /// <summary>Reads a classifier saved by <see cref="Save"/>; refuses other files with a clear message.</summary>
    /// <exception cref="InvalidDataException">The file is not a classifier, or is damaged.</exception>
    public static Classifier Open(string path)
    {
        var (content, options) = ModelFile.Read<Classifier, ClassifierOptions>(path, o => o.Validate());
        int[] shape;
        try
        {
            shape = JsonSerializer.Deserialize<int[]>(content.Metadata.GetValueOrDefault(ShapeKey) ?? "") ?? throw new JsonException();
        }
        catch (JsonException)
        {
            throw new InvalidDataException($"'{path}' lacks the classifier's shape.");
        }
        if (shape is not [>= 1 and var inputs, >= 2 and var classes]) throw new InvalidDataException($"'{path}' has an impossible classifier shape.");
        var (scaler, _) = ModelFile.ReadData(path, content.Metadata);
        if (scaler is not StandardScaler standard || standard.Columns != inputs) throw new InvalidDataException($"'{path}' lacks the classifier's feature scaling.");
        var network = new Network(inputs, classes, options.Hidden, new Rng(0));
        ModelFile.AssignTensors(path, network.Layers, content.Tensors);
        network.Layers.Eval();
        return new Classifier(network, standard, options, history: null);
    }

    /// <summary>The layers, trained by <see cref="Trainer"/> on rows whose last column is the label.</summary>
    private sealed class Network : ITrainable
    {
        public Network(int inputs, int classes, int[] hidden, Rng rng)
        {
            Inputs = inputs;
            Classes = classes;
            int width = inputs;
            foreach (int h in hidden)
            {
                Layers.Add(new Linear(width, h, activation: Activation.Relu, rng: rng));
                width = h;
            }
            Layers.Add(new Linear(width, classes, rng: rng));
        }

        public Sequential Layers { get; } = new();
        public int Inputs { get; }
        public int Classes { get; }

        Module ITrainable.Network => Layers;

        public Tensor Loss(Tensor batch, Rng rng)
        {
            int n = batch.Dim(0);
            var labels = new int[n];
            var x = Tensor.Zeros(n, Inputs);   // an input of the recorded graph: backward still needs it
            ReadOnlySpan<float> b = batch.Span;
            Span<float> v = x.Span;
            for (int r = 0; r < n; r++)
            {
                b.Slice(r * (Inputs + 1), Inputs).CopyTo(v.Slice(r * Inputs, Inputs));
                labels[r] = (int)b[r * (Inputs + 1) + Inputs];
            }
            return Engine.Losses.Loss.CrossEntropy(Layers.Forward(x), labels);
        }
    }
}
