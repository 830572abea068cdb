using Latent.Data;
using Latent.Engine;
using Latent.Engine.Nn;
using Latent.Models;
using Latent.Training;

namespace Latent.Applications.Features;

/// <summary>
/// Denoising pre-training for tables with swap noise, the recipe that won Porto Seguro's Safe Driver Prediction
/// (Michael Jahrer, 2017): each cell is, with some probability, swapped for the same column's value in another
/// row, so that the corruption keeps every column's distribution; a wide ReLU network learns to restore the row,
/// and its hidden activations, all layers concatenated, become the features for a supervised model.
/// Columns are standardised first.
/// </summary>
/// <example>
/// <code>
/// var dae = SwapNoiseAutoencoder.Fit(table, new SwapNoiseOptions { Hidden = [1500, 1500, 1500] });
/// Tensor features = dae.Transform(table);   // [rows, 4500]
/// </code>
/// </example>
[ModelKind("swap-noise-autoencoder", "a swap-noise autoencoder")]
public sealed class SwapNoiseAutoencoder : ISavedModel
{
    private readonly Sequential _network;
    private readonly StandardScaler _scaler;

    private SwapNoiseAutoencoder(Sequential network, StandardScaler scaler, SwapNoiseOptions options, History? history)
    {
        _network = network;
        _scaler = scaler;
        Options = options;
        History = history;
    }

    /// <summary>The options it was fitted with.</summary>
    public SwapNoiseOptions Options { get; }

    /// <summary>The training run (null after <see cref="Open"/>).</summary>
    public History? History { get; }

    /// <summary>Number of input columns.</summary>
    public int Inputs => _scaler.Columns;

    /// <summary>Width of <see cref="Transform"/>'s rows: the sum of the hidden widths.</summary>
    public int FeatureCount => Options.Hidden.Sum();

    /// <exception cref="ArgumentException">The data is not [rows, columns], holds a non-finite value, or an option is out of range.</exception>
    public static SwapNoiseAutoencoder Fit(Tensor data, SwapNoiseOptions? options = null, IProgress<TrainingProgress>? progress = null,
        CancellationToken cancel = default)
    {
        options ??= new SwapNoiseOptions();
        options.Validate();
        ArgumentNullException.ThrowIfNull(data);
        if (data.Rank != 2 || data.Dim(0) < 2) throw new ArgumentException($"Expected a matrix [rows, columns] with at least 2 rows; got shape [{string.Join(", ", data.Shape)}].");
        RowChecks.Finite(data);
        StandardScaler scaler = StandardScaler.Fit(data);
        using Tensor training = scaler.Transform(data);
        var network = Build(data.Dim(1), options.Hidden, new Rng(options.Seed));
        History history = Trainer.Fit(new Training(network, training, options.SwapProbability), training, new FitOptions
        {
            Epochs = options.Epochs, BatchSize = options.BatchSize, LearningRate = options.LearningRate, ValidationFraction = 0, Seed = options.Seed,
        }, progress, cancel);
        return new SwapNoiseAutoencoder(network, scaler, options, history);
    }

    private static Sequential Build(int inputs, int[] hidden, Rng rng)
    {
        var network = new Sequential();
        int width = inputs;
        foreach (int h in hidden)
        {
            network.Add(new Linear(width, h, activation: Activation.Relu, rng: rng));
            width = h;
        }
        network.Add(new Linear(width, inputs, rng: rng));
        return network;
    }

    /// <summary>The hidden activations of every layer for each row, side by side: [rows, FeatureCount].</summary>
    /// <exception cref="ArgumentException">The rows are not [rows, <see cref="Inputs"/>].</exception>
    public Tensor Transform(Tensor data)
    {
        RowChecks.Rows(data, Inputs, "Transform");
        using var _ = Tensor.NoGrad();
        Tensor x = _scaler.Transform(data);
        var layers = new List<Tensor>();
        for (int i = 0; i < Options.Hidden.Length; i++)
        {
            x = _network.Layers[i].Forward(x);
            layers.Add(x);
        }
        Tensor features = Ops.Concat(layers, 1);
        foreach (Tensor t in layers) t.Dispose();
        return features;
    }

    // ------------------------------------------------------------------ files

    /// <summary>Saves the network, its column scaling and options as one safetensors file, atomically.</summary>
    public void Save(string path) => ModelFile.Save(path, ((ISavedModel)this).Content());

    ModelContent ISavedModel.Content() => ModelFile.Content(this, Options, _network, History, _scaler, data: null);

    /// <summary>Reads a swap-noise autoencoder saved by <see cref="Save"/>; refuses other files with a clear message.</summary>
    /// <exception cref="InvalidDataException">The file is not a swap-noise autoencoder, or is damaged.</exception>
    public static SwapNoiseAutoencoder Open(string path)
    {
        var (content, options) = ModelFile.Read<SwapNoiseAutoencoder, SwapNoiseOptions>(path, o => o.Validate());
        var (scaler, _) = ModelFile.ReadData(path, content.Metadata);
        if (scaler is not StandardScaler standard) throw new InvalidDataException($"'{path}' lacks the swap-noise autoencoder's column scaling.");
        Sequential network = Build(standard.Columns, options.Hidden, new Rng(0));
        ModelFile.AssignTensors(path, network, content.Tensors);
        network.Eval();
        return new SwapNoiseAutoencoder(network, standard, options, history: null);
    }

    /// <summary>The network during training, with every scaled row at hand to swap cells from.</summary>
    private sealed class Training(Sequential network, Tensor all, float swapProbability) : ITrainable
    {
        Module ITrainable.Network => network;

        public Tensor Loss(Tensor batch, Rng rng)
        {
            int rows = all.Dim(0), width = all.Dim(1);
            var corrupted = batch.Detach();
            Span<float> c = corrupted.Span;
            ReadOnlySpan<float> source = all.Span;
            for (int i = 0; i < c.Length; i++)
                if (rng.NextFloat() < swapProbability) c[i] = source[rng.NextInt(rows) * width + i % width];
            return Engine.Losses.Loss.Mse(network.Forward(corrupted), batch);
        }
    }
}
