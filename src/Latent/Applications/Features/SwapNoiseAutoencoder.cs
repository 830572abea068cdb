using Latent.Data;
using Latent.Engine;
using Latent.Engine.Losses;
using Latent.Engine.Nn;
using Latent.Training;

namespace Latent.Applications.Features;

/// <summary>How a <see cref="SwapNoiseAutoencoder"/> learns.</summary>
public sealed record SwapNoiseOptions
{
    /// <summary>Hidden layer widths; the features are all their activations side by side.</summary>
    public int[] Hidden { get; init; } = [256, 256, 256];
    /// <summary>Probability that a cell is replaced by the same column's value from another random row.</summary>
    public float SwapProbability { get; init; } = 0.15f;
    public int Epochs { get; init; } = 30;
    public int BatchSize { get; init; } = 128;
    public float LearningRate { get; init; } = 1e-3f;
    public ulong Seed { get; init; }
}

/// <summary>
/// Denoising pre-training for tables with swap noise, the recipe that won Porto Seguro's Safe Driver Prediction
/// (Michael Jahrer, 2017): each cell is, with some probability, swapped for the same column's value in another
/// row, so that the corruption keeps every column's distribution; a wide ReLU network learns to restore the row,
/// and its hidden activations, all layers concatenated, become the features for a supervised model.
/// Columns are standardised first.
/// </summary>
public sealed class SwapNoiseAutoencoder : ITrainable
{
    private readonly Sequential _network;
    private readonly SwapNoiseOptions _options;
    private StandardScaler? _scaler;
    private Tensor? _training;

    public SwapNoiseAutoencoder(int inputs, SwapNoiseOptions? options = null)
    {
        _options = options ?? new SwapNoiseOptions();
        if (!(_options.SwapProbability is >= 0 and < 1)) throw new ArgumentException($"The swap probability must be in [0, 1), not {_options.SwapProbability}.");
        var rng = new Rng(_options.Seed);
        _network = new Sequential();
        int width = inputs;
        foreach (int hidden in _options.Hidden)
        {
            _network.Add(new Linear(width, hidden, activation: Activation.Relu, rng: rng));
            width = hidden;
        }
        _network.Add(new Linear(width, inputs, rng: rng));
        Inputs = inputs;
    }

    public int Inputs { get; }

    /// <summary>Width of <see cref="Transform"/>'s rows: the sum of the hidden widths.</summary>
    public int FeatureCount => _options.Hidden.Sum();

    Module ITrainable.Network => _network;

    public History Fit(Tensor data, CancellationToken cancel = default)
    {
        Models.DenseAutoencoder.CheckRows(data, Inputs, "Fit");
        Models.DenseAutoencoder.CheckFinite(data);
        _scaler = StandardScaler.Fit(data);
        _training = _scaler.Transform(data);
        try
        {
            return Trainer.Fit(this, _training, new FitOptions
            {
                Epochs = _options.Epochs, BatchSize = _options.BatchSize, LearningRate = _options.LearningRate, ValidationFraction = 0, Seed = _options.Seed,
            }, null, cancel);
        }
        finally
        {
            _training.Dispose();
            _training = null;
        }
    }

    Tensor ITrainable.Loss(Tensor batch, Rng rng)
    {
        Tensor all = _training!;
        int rows = all.Dim(0), width = Inputs;
        var corrupted = batch.Detach();
        Span<float> c = corrupted.Span;
        ReadOnlySpan<float> source = all.Span;
        for (int i = 0; i < c.Length; i++)
            if (rng.NextFloat() < _options.SwapProbability) c[i] = source[rng.NextInt(rows) * width + i % width];
        return Loss.Mse(_network.Forward(corrupted), batch);
    }

    /// <summary>The hidden activations of every layer for each row, side by side: [rows, FeatureCount].</summary>
    public Tensor Transform(Tensor data)
    {
        if (_scaler is null) throw new InvalidOperationException("Fit the swap-noise autoencoder before asking for features.");
        Models.DenseAutoencoder.CheckRows(data, Inputs, "Transform");
        using var _ = Tensor.NoGrad();
        Tensor x = _scaler.Transform(data);
        var layers = new List<Tensor>();
        for (int i = 0; i < _options.Hidden.Length; i++)
        {
            x = _network.Layers[i].Forward(x);
            layers.Add(x);
        }
        Tensor features = Ops.Concat(layers, 1);
        foreach (Tensor t in layers) t.Dispose();
        return features;
    }
}
