using Latent.Data;
using Latent.Engine;
using Latent.Engine.Losses;
using Latent.Engine.Nn;
using Latent.Engine.Optim;

namespace Latent.Applications.Features;

/// <summary>How a <see cref="Classifier"/> learns.</summary>
public sealed record ClassifierOptions
{
    /// <summary>Hidden layer widths (ReLU); none gives softmax regression (multinomial logistic regression).</summary>
    public int[] Hidden { get; init; } = [];
    /// <summary>Full passes over the labelled rows.</summary>
    public int Epochs { get; init; } = 200;
    /// <summary>Rows per step; the whole set when it is smaller.</summary>
    public int BatchSize { get; init; } = 256;
    public float LearningRate { get; init; } = 1e-2f;
    /// <summary>Decoupled weight decay (AdamW): the regularisation that matters when labels are few.</summary>
    public float WeightDecay { get; init; } = 1e-2f;
    public ulong Seed { get; init; }
}

/// <summary>
/// A small built-in classifier for features: softmax regression, or an MLP with <see cref="ClassifierOptions.Hidden"/>
/// layers, trained with cross-entropy and AdamW on standardised features. Enough to compare feature sets
/// (raw, PCA, autoencoder codes) fairly; not a replacement for a tuned model.
/// </summary>
public sealed class Classifier
{
    private readonly Sequential _network;
    private readonly StandardScaler _scaler;

    private Classifier(Sequential network, StandardScaler scaler, int classes)
    {
        _network = network;
        _scaler = scaler;
        Classes = classes;
    }

    public int Classes { get; }

    /// <exception cref="ArgumentException">Features and labels disagree in count, a label is negative, or a value is not finite.</exception>
    public static Classifier Fit(Tensor features, int[] labels, ClassifierOptions? options = null)
    {
        options ??= new ClassifierOptions();
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        if (features.Rank != 2 || features.Dim(0) != labels.Length || labels.Length == 0)
            throw new ArgumentException($"Features [rows, columns] and one label per row are needed; got shape [{string.Join(", ", features.Shape)}] and {labels.Length} labels.");
        if (labels.Min() < 0) throw new ArgumentException("Labels must be whole numbers from 0 up.");
        Models.DenseAutoencoder.CheckFinite(features);
        int classes = Math.Max(2, labels.Max() + 1);
        StandardScaler scaler = StandardScaler.Fit(features);
        using Tensor x = scaler.Transform(features);
        var rng = new Rng(options.Seed);
        var network = new Sequential();
        int width = features.Dim(1);
        foreach (int hidden in options.Hidden)
        {
            network.Add(new Linear(width, hidden, activation: Activation.Relu, rng: rng));
            width = hidden;
        }
        network.Add(new Linear(width, classes, rng: rng));
        var optimizer = new AdamW(network.Parameters(), options.LearningRate, weightDecay: options.WeightDecay);
        int rows = labels.Length, batch = Math.Min(options.BatchSize, rows);
        int[] order = [.. Enumerable.Range(0, rows)];
        var batchLabels = new int[batch];
        for (int epoch = 0; epoch < options.Epochs; epoch++)
        {
            rng.Shuffle(order);
            for (int start = 0; start + batch <= rows; start += batch)
            {
                ReadOnlySpan<int> picked = order.AsSpan(start, batch);
                for (int i = 0; i < batch; i++) batchLabels[i] = labels[picked[i]];
                using Tensor input = Ops.SelectRows(x, picked);
                optimizer.ZeroGrad();
                Loss.CrossEntropy(network.Forward(input), batchLabels).Backward();
                optimizer.Step();
            }
        }
        network.Eval();
        return new Classifier(network, scaler, classes);
    }

    /// <summary>The most likely class of each row.</summary>
    public int[] Predict(Tensor features)
    {
        using var _ = Tensor.NoGrad();
        using Tensor x = _scaler.Transform(features);
        using Tensor scores = _network.Forward(x);
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
    public double Accuracy(Tensor features, int[] labels)
    {
        int[] predicted = Predict(features);
        return predicted.Where((p, i) => p == labels[i]).Count() / (double)labels.Length;
    }
}
