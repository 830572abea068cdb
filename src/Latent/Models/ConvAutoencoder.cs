using System.Text.Json;
using Latent.Data;
using Latent.Engine;
using Latent.Engine.Losses;
using Latent.Engine.Nn;
using Latent.Imaging;
using Latent.Storage;
using Latent.Storage.Onnx;
using Latent.Training;

namespace Latent.Models;

/// <summary>
/// A convolutional autoencoder for images. Rows are images flattened channel-first (<see cref="ImageShape"/>); the
/// encoder halves the image at each level (convolution + max pooling, or a strided convolution), the decoder doubles
/// it back (convolution + upsampling, or a transposed convolution) and a last convolution returns the image's
/// channels. Where doubling overshoots the image size (28 → 14 → 7 → 4 → 8 → 16 → 32), the decoder uses unpadded
/// convolutions at the levels nearest the output (as the Keras denoiser does: 16 → 14 before the last upsampling), or
/// crops the centre when no such choice fits.
/// <code>
/// var model = new ConvAutoencoder(new ConvAutoencoderConfig { Channels = 1, Height = 28, Width = 28 });
/// model.Fit(images, new FitOptions { Epochs = 5, BatchSize = 128 });   // images: [rows, 784]
/// Tensor rebuilt = model.Reconstruct(images);
/// </code>
/// </summary>
[ModelKind("conv", "a convolutional autoencoder")]
public sealed class ConvAutoencoder : IAutoencoder, ITrainable, ISavedModel, IOnnxExportable
{
    private const int InferenceChunk = 256;   // images per forward pass at inference: bounds the feature maps' memory

    private readonly Sequential _encoder, _decoder;
    private readonly EncoderDecoder _network;
    private readonly int[] _codeShape;          // [channels, height, width] of the spatial code
    private History? _history;

    /// <summary>A new model with the architecture of <paramref name="config"/> and freshly initialised weights.</summary>
    public ConvAutoencoder(ConvAutoencoderConfig config)
    {
        config.Validate();
        Config = config;
        var rng = new Rng(config.Seed);
        int k = config.KernelSize;
        Padding2d same = Same(k);

        _encoder = new Sequential();
        int channels = config.Channels, height = config.Height, width = config.Width;
        foreach (int filters in config.Filters)
        {
            if (config.Downsampling == Downsampling.MaxPool)
            {
                AddConv(_encoder, new Conv2d(channels, filters, k, padding: same, activation: Hidden(config), rng: rng), filters, config);
                _encoder.Add(new MaxPool2d(2, padding: Padding2d.Same));
            }
            else
            {
                AddConv(_encoder, new Conv2d(channels, filters, k, stride: 2, padding: Padding2d.Same, activation: Hidden(config), rng: rng), filters, config);
            }
            (channels, height, width) = (filters, (height + 1) / 2, (width + 1) / 2);
        }
        _codeShape = [channels, height, width];
        int spatialCode = channels * height * width;
        if (config.CodeSize is { } code)
        {
            _encoder.Add(new Reshape(spatialCode));
            _encoder.Add(new Linear(spatialCode, code, rng: rng));
        }

        _decoder = new Sequential();
        if (config.CodeSize is { } codeSize)
        {
            _decoder.Add(new Linear(codeSize, spatialCode, activation: config.Activation, rng: rng));
            _decoder.Add(new Reshape(_codeShape));
        }
        int[] decoderFilters = config.DecoderFiltersOrMirror;
        bool[] validRows = ValidLevels(height, config.Height, decoderFilters.Length, k, config.Upsampling);
        bool[] validColumns = ValidLevels(width, config.Width, decoderFilters.Length, k, config.Upsampling);
        for (int level = 0; level < decoderFilters.Length; level++)
        {
            int filters = decoderFilters[level];
            if (config.Upsampling == Upsampling.TransposedConv)
            {
                AddConv(_decoder, new ConvTranspose2d(channels, filters, k, stride: 2, padding: Padding2d.Same, activation: Hidden(config), rng: rng), filters, config);
                (height, width) = (2 * height, 2 * width);
            }
            else
            {
                var (top, bottom) = validRows[level] ? (0, 0) : (same.Top, same.Bottom);
                var (left, right) = validColumns[level] ? (0, 0) : (same.Left, same.Right);
                AddConv(_decoder, new Conv2d(channels, filters, k, padding: new Padding2d(top, bottom, left, right), activation: Hidden(config), rng: rng), filters, config);
                _decoder.Add(new Upsample(2, config.Upsampling == Upsampling.Bilinear ? UpsampleMode.Bilinear : UpsampleMode.Nearest));
                height = 2 * (validRows[level] ? height - (k - 1) : height);
                width = 2 * (validColumns[level] ? width - (k - 1) : width);
            }
            channels = filters;
        }
        _decoder.Add(new Conv2d(channels, config.Channels, k, padding: same, activation: EmitsLogits ? Activation.Identity : config.Output, rng: rng));
        if (height != config.Height || width != config.Width) _decoder.Add(new CenterCrop(config.Height, config.Width));
        _network = new EncoderDecoder(_encoder, _decoder);
        if (config.Initialization == WeightInit.Glorot)
        {
            foreach (var (_, weight) in _network.NamedParameters())
                if (weight.Rank == 4) Init.GlorotUniform(weight, rng);   // convolution kernels; layers start with He for ReLU
        }
        else if (config.Initialization == WeightInit.FanInUniform) NetworkInit.FanInUniform(_network, rng);
        _network.Eval();
    }

    /// <summary>The architecture (saved with the model).</summary>
    public ConvAutoencoderConfig Config { get; }

    /// <summary>The image geometry of the rows.</summary>
    public ImageShape Image => new(Config.Channels, Config.Height, Config.Width);

    /// <summary>Values per row: channels × height × width.</summary>
    public int Inputs => Image.Size;

    /// <summary>The dense code size, or the size of the last feature map (channels × height × width).</summary>
    public int CodeSize => Config.CodeSize ?? _codeShape[0] * _codeShape[1] * _codeShape[2];

    /// <summary>The shape of one spatial code [channels, height, width] (before any dense bottleneck).</summary>
    public IReadOnlyList<int> CodeShape => _codeShape;

    /// <summary>The history of the last <see cref="Fit"/>, or null.</summary>
    public History? History => _history;

    /// <summary>What the rows are; saved with the model (the image geometry is always known).</summary>
    public DataDescription? Data { get; set; }

    internal Module Network => _network;

    /// <summary>Number of trained values (weights and biases).</summary>
    public long ParameterCount => _network.ParameterCount;

    Module ITrainable.Network => _network;

    private bool EmitsLogits => Config.Loss == ReconstructionLoss.BinaryCrossEntropy;

    /// <summary>A readable summary, e.g. "conv 1×28×28 → 64-32-16 (max pool) → 16×4×4 → 16-32-64 (nearest)".</summary>
    public string Describe() =>
        $"conv {Config.Channels}×{Config.Height}×{Config.Width} → {string.Join("-", Config.Filters)} ({Config.Downsampling}) → " +
        (Config.CodeSize is { } c ? $"code {c}" : $"{_codeShape[0]}×{_codeShape[1]}×{_codeShape[2]}") +
        $" → {string.Join("-", Config.DecoderFiltersOrMirror)} ({Config.Upsampling})";

    /// <inheritdoc/>
    public History Fit(Tensor data, FitOptions? options = null, IProgress<TrainingProgress>? progress = null, CancellationToken cancel = default)
    {
        RowChecks.Rows(data, Inputs, "Fit");
        RowChecks.Finite(data);
        _history = Trainer.Fit(this, data, options ?? new FitOptions(), progress, cancel);
        return _history;
    }

    Tensor ITrainable.Loss(Tensor batch, Rng rng) => Loss(batch, batch);

    /// <summary>The training loss of reconstructing <paramref name="target"/> rows from <paramref name="input"/> rows (recorded for backward).</summary>
    internal Tensor Loss(Tensor input, Tensor target)
    {
        Tensor output = _decoder.Forward(_encoder.Forward(AsImages(input)));
        Tensor images = AsImages(target);
        return EmitsLogits ? Engine.Losses.Loss.BinaryCrossEntropyWithLogits(output, images) : Engine.Losses.Loss.Mse(output, images);
    }

    /// <inheritdoc/>
    public Tensor Encode(Tensor data)
    {
        RowChecks.Rows(data, Inputs, "Encode");
        return RowChunks.Map(data, CodeSize, InferenceChunk, rows => Flatten(_encoder.Forward(AsImages(rows))));
    }

    /// <inheritdoc/>
    public Tensor Decode(Tensor codes)
    {
        RowChecks.Rows(codes, CodeSize, "Decode");
        return RowChunks.Map(codes, Inputs, InferenceChunk, rows => Output(_decoder.Forward(Config.CodeSize is null ? rows.Reshape([rows.Dim(0), .. _codeShape]) : rows)));
    }

    /// <inheritdoc/>
    public Tensor Reconstruct(Tensor data)
    {
        RowChecks.Rows(data, Inputs, "Reconstruct");
        return RowChunks.Map(data, Inputs, InferenceChunk, rows => Output(_decoder.Forward(_encoder.Forward(AsImages(rows)))));
    }

    /// <inheritdoc/>
    public float[] ReconstructionError(Tensor data)
    {
        using Tensor rebuilt = Reconstruct(data);
        var errors = new float[data.Dim(0)];
        ReadOnlySpan<float> x = data.Span, y = rebuilt.Span;
        for (int r = 0; r < errors.Length; r++)
        {
            double sum = 0;
            for (int c = r * Inputs, end = c + Inputs; c < end; c++) sum += (double)(x[c] - y[c]) * (x[c] - y[c]);
            errors[r] = (float)(sum / Inputs);
        }
        return errors;
    }

    private Tensor AsImages(Tensor rows) => rows.Reshape(rows.Dim(0), Config.Channels, Config.Height, Config.Width);

    private static Tensor Flatten(Tensor t) => t.Reshape(t.Dim(0), t.Length / Math.Max(1, t.Dim(0)));

    /// <summary>Rows from the decoder's output images, through the sigmoid when the network emits logits.</summary>
    private Tensor Output(Tensor images)
    {
        Tensor rows = Flatten(images);
        if (!EmitsLogits) return rows;
        Tensor result = Ops.Sigmoid(rows);
        images.Dispose();
        return result;
    }

    // ------------------------------------------------------------------ architecture helpers

    private static Padding2d Same(int k) => new((k - 1) / 2, k - 1 - (k - 1) / 2, (k - 1) / 2, k - 1 - (k - 1) / 2);

    /// <summary>With batch norm, convolutions stay linear and the activation follows the normalisation.</summary>
    private static Activation Hidden(ConvAutoencoderConfig config) => config.BatchNorm ? Activation.Identity : config.Activation;

    private static void AddConv(Sequential stack, Module conv, int filters, ConvAutoencoderConfig config)
    {
        stack.Add(conv);
        if (!config.BatchNorm) return;
        stack.Add(new BatchNorm2d(filters));
        stack.Add(new ActivationLayer(config.Activation));
    }

    /// <summary>
    /// Which decoder levels (conv then ×2) use an unpadded convolution so that <paramref name="code"/> grows to exactly
    /// <paramref name="target"/>: the first combination found, preferring levels nearest the output; all false when none
    /// fits (the centre is cropped instead) or for transposed convolutions.
    /// </summary>
    internal static bool[] ValidLevels(int code, int target, int levels, int kernel, Upsampling upsampling)
    {
        var none = new bool[levels];
        if (upsampling == Upsampling.TransposedConv || kernel == 1 || levels > 16) return none;
        for (int mask = 0; mask < 1 << levels; mask++)
        {
            int size = code;
            for (int level = 0; level < levels && size > 0; level++)
            {
                if ((mask >> (levels - 1 - level) & 1) != 0) size -= kernel - 1;
                size *= 2;
            }
            if (size != target) continue;
            var valid = new bool[levels];
            for (int level = 0; level < levels; level++) valid[level] = (mask >> (levels - 1 - level) & 1) != 0;
            return valid;
        }
        return none;
    }

    // ------------------------------------------------------------------ files

    void IOnnxExportable.Export(OnnxGraphBuilder graph, OnnxPart part)
    {
        string x;
        if (part == OnnxPart.Decoder) x = graph.Reshape(graph.Input("code", CodeSize), Config.CodeSize is null ? [.. _codeShape] : [CodeSize]);
        else
        {
            x = graph.Apply(_encoder, graph.Reshape(graph.Input("rows", Inputs), Config.Channels, Config.Height, Config.Width), "encoder");
            if (part == OnnxPart.Encoder)
            {
                graph.Output(graph.Reshape(x, CodeSize), "code");
                return;
            }
        }
        x = graph.Apply(_decoder, x, "decoder");
        if (EmitsLogits) x = graph.Activation(x, Activation.Sigmoid);
        graph.Output(graph.Reshape(x, Inputs), "reconstruction");
    }

    /// <inheritdoc/>
    public void Save(string path) => ModelFile.Save(path, ((ISavedModel)this).Content());

    ModelContent ISavedModel.Content() => ModelFile.Content(this, Config, _network, _history, scaler: null, Data ?? new DataDescription(Image));

    /// <summary>Reads a model saved by <see cref="Save"/>; refuses other files with a clear message.</summary>
    public static ConvAutoencoder Open(string path)
    {
        var (content, config) = ModelFile.Read<ConvAutoencoder, ConvAutoencoderConfig>(path, c => c.Validate());
        var model = new ConvAutoencoder(config);
        ModelFile.AssignTensors(path, model._network, content.Tensors);
        (_, model.Data) = ModelFile.ReadData(path, content.Metadata);
        return model;
    }

    /// <summary>Keeps the central height × width of each image (the decoder's last step when doubling overshoots).</summary>
    private sealed class CenterCrop(int height, int width) : Module, IOnnxLayer
    {
        public override Tensor Forward(Tensor input)
        {
            Tensor rows = Ops.Slice(input, 2, (input.Dim(2) - height) / 2, height);
            return Ops.Slice(rows, 3, (input.Dim(3) - width) / 2, width);
        }

        public string Export(OnnxGraphBuilder graph, string input)
        {
            string rows = graph.Slice(input, 2, (graph.ShapeOf(input)[1] - height) / 2, height);
            return graph.Slice(rows, 3, (graph.ShapeOf(input)[2] - width) / 2, width);
        }
    }
}
