using Latent.Data;
using Latent.Engine;
using Latent.Engine.Nn;
using Latent.Training;

namespace Latent.Models;

/// <summary>
/// A U-Net (Ronneberger, Fischer and Brox 2015): an encoder–decoder over images whose decoder also sees the encoder's
/// feature map of each size through a skip connection, so fine detail need not squeeze through the bottleneck. It maps
/// images to images of the same height and width (any size: a level of odd size rounds up on the way down and the
/// decoder crops back), with any numbers of channels in and out: colour from lightness, class scores per pixel.
/// Images are [batch, channels, height, width] tensors.
/// <code>
/// var unet = new UNet(new UNetConfig { InChannels = 1, OutChannels = 2 });
/// unet.Fit(lightness, colours, new FitOptions { Epochs = 10, BatchSize = 64 });   // [n, 1, 32, 32] → [n, 2, 32, 32]
/// Tensor predicted = unet.Predict(lightness);
/// </code>
/// </summary>
/// <remarks>
/// Not an <see cref="IAutoencoder"/>: with skip connections the decoder needs more than the bottleneck's code, so there
/// is no Encode/Decode pair. Applications (colorization, segmentation) train it with their own losses.
/// </remarks>
[ModelKind("unet", "a U-Net")]
public sealed class UNet : ITrainable, ISavedModel
{
    private const int InferenceChunk = 64;   // images per forward pass at inference: bounds the feature maps' memory

    private readonly UNetNetwork _network;
    private int[]? _pairShape;   // [height, width] of the images Fit trains on

    /// <summary>A new U-Net with the architecture of <paramref name="config"/> and freshly initialised weights.</summary>
    public UNet(UNetConfig config)
    {
        config.Validate();
        Config = config;
        var rng = new Rng(config.Seed);
        _network = new UNetNetwork(config, rng);
        if (config.Initialization == WeightInit.FanInUniform) NetworkInit.FanInUniform(_network, rng);
        else if (config.Initialization == WeightInit.Glorot)
        {
            foreach (var (_, weight) in _network.NamedParameters())
                if (weight.Rank == 4) Init.GlorotUniform(weight, rng);   // layers start with He for ReLU
        }
        _network.Eval();
    }

    /// <summary>The architecture (saved with the model).</summary>
    public UNetConfig Config { get; }

    /// <summary>The history of the last <see cref="Fit"/>, or null.</summary>
    public History? History { get; internal set; }

    /// <summary>Number of trained values (weights and biases).</summary>
    public long ParameterCount => _network.ParameterCount;

    internal Module Network => _network;

    Module ITrainable.Network => _network;

    /// <summary>A readable summary, e.g. "U-Net 1 → 32-64-128-128 (StridedConv, Nearest) → 2".</summary>
    public string Describe() =>
        $"U-Net {Config.InChannels} → {string.Join("-", Config.Widths)} ({Config.Downsampling}, {Config.Upsampling}{(Config.BatchNorm ? ", batch norm" : "")}) → {Config.OutChannels}";

    /// <summary>The forward pass, recorded for backward when gradients are on (training).</summary>
    internal Tensor Forward(Tensor images) => _network.Forward(images);

    /// <summary>
    /// Trains the network to turn <paramref name="inputs"/> [n, in, h, w] into <paramref name="targets"/> [n, out, h, w]
    /// by mean squared error; returns the per-epoch history.
    /// </summary>
    /// <exception cref="ArgumentException">Shapes that do not fit the network or each other, non-finite values, or invalid options.</exception>
    public History Fit(Tensor inputs, Tensor targets, FitOptions? options = null, IProgress<TrainingProgress>? progress = null,
        CancellationToken cancel = default)
    {
        CheckImages(inputs, Config.InChannels, "Fit (inputs)");
        CheckImages(targets, Config.OutChannels, "Fit (targets)");
        if (targets.Dim(0) != inputs.Dim(0) || targets.Dim(2) != inputs.Dim(2) || targets.Dim(3) != inputs.Dim(3))
            throw new ArgumentException(
                $"The targets [{string.Join(", ", targets.Shape)}] must have as many images of the same size as the inputs [{string.Join(", ", inputs.Shape)}].");
        int n = inputs.Dim(0);
        using Tensor inputRows = inputs.Reshape(n, -1), targetRows = targets.Reshape(n, -1);
        RowChecks.Finite(inputRows);
        RowChecks.Finite(targetRows);
        using Tensor pairs = Ops.Concat([inputRows, targetRows], 1);   // one row per pair, so the training loop shuffles them together
        _pairShape = [inputs.Dim(2), inputs.Dim(3)];
        History = Trainer.Fit(this, pairs, options ?? new FitOptions(), progress, cancel);
        return History;
    }

    Tensor ITrainable.Loss(Tensor batch, Rng rng)
    {
        int n = batch.Dim(0), h = _pairShape![0], w = _pairShape[1], inputs = Config.InChannels * h * w;
        Tensor x = Ops.Slice(batch, 1, 0, inputs).Reshape(n, Config.InChannels, h, w);
        Tensor y = Ops.Slice(batch, 1, inputs, Config.OutChannels * h * w).Reshape(n, Config.OutChannels, h, w);
        return Engine.Losses.Loss.Mse(_network.Forward(x), y);
    }

    /// <summary>The output for images [n, in, h, w] of any size: [n, out, h, w]. Thread-safe; the input is not changed.</summary>
    /// <exception cref="ArgumentException">The images are not [n, in, h, w].</exception>
    public Tensor Predict(Tensor images)
    {
        CheckImages(images, Config.InChannels, "Predict");
        int n = images.Dim(0), h = images.Dim(2), w = images.Dim(3);
        using Tensor rows = images.Reshape(n, -1);
        Tensor result = RowChunks.Map(rows, Config.OutChannels * h * w, InferenceChunk,
            chunk => _network.Forward(chunk.Reshape(chunk.Dim(0), Config.InChannels, h, w)).Reshape(chunk.Dim(0), -1));
        return result.Reshape(n, Config.OutChannels, h, w);
    }

    private static void CheckImages(Tensor images, int channels, string operation)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.Rank != 4 || images.Dim(1) != channels || images.Dim(0) < 1 || images.Dim(2) < 1 || images.Dim(3) < 1)
            throw new ArgumentException($"{operation} expects images [n, {channels}, height, width]; got shape [{string.Join(", ", images.Shape)}].");
    }

    /// <summary>Writes the model (weights, architecture, training summary) to a safetensors file, atomically.</summary>
    public void Save(string path) => ModelFile.Save(path, ((ISavedModel)this).Content());

    ModelContent ISavedModel.Content() => ModelFile.Content(this, Config, _network, History, scaler: null, data: null);

    /// <summary>Reads a model saved by <see cref="Save"/>; refuses other files with a clear message.</summary>
    /// <exception cref="InvalidDataException">Not a U-Net file, or a damaged one.</exception>
    public static UNet Open(string path)
    {
        var (content, config) = ModelFile.Read<UNet, UNetConfig>(path, c => c.Validate());
        return FromTensors(path, config, content.Tensors);
    }

    /// <summary>A U-Net with the weights of a saved one's tensors (used by applications that store a U-Net inside their file).</summary>
    internal static UNet FromTensors(string path, UNetConfig config, IReadOnlyDictionary<string, Tensor> tensors)
    {
        var model = new UNet(config);
        ModelFile.AssignTensors(path, model._network, tensors);
        return model;
    }
}
