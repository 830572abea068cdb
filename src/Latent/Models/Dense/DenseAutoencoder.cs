using Latent.Data;
using Latent.Engine;
using Latent.Engine.Losses;
using Latent.Engine.Nn;
using Latent.Storage;
using Latent.Storage.Onnx;
using Latent.Training;

namespace Latent.Models;

/// <summary>
/// The undercomplete fully connected autoencoder: an encoder of Linear layers squeezes each row into a small
/// code, a mirrored decoder rebuilds the row, and training minimises the reconstruction error (MSE or binary
/// cross-entropy), optionally plus a sparsity penalty on the code or a contractive penalty on the encoder.
/// <code>
/// var model = new DenseAutoencoder(new DenseAutoencoderConfig { Inputs = 784, Hidden = [128, 64], CodeSize = 32 });
/// History history = model.Fit(images, new FitOptions { Epochs = 10 });
/// Tensor codes = model.Encode(images);   // [rows, 32]
/// </code>
/// </summary>
[ModelKind("dense", "a dense autoencoder")]
public sealed class DenseAutoencoder : IAutoencoder, ITrainable, ISavedModel, IOnnxExportable
{
    private const int InferenceChunk = 4096;   // rows per forward pass at inference: bounds memory on big inputs

    private readonly Sequential _encoder, _decoder;
    private readonly EncoderDecoder _network;
    private History? _history;
    private IScaler? _scaler;

    /// <summary>A new model with the architecture of <paramref name="config"/> and freshly initialised weights.</summary>
    public DenseAutoencoder(DenseAutoencoderConfig config)
    {
        config.Validate();
        Config = config;
        var rng = new Rng(config.Seed);
        Activation code = config.Sparsity == Sparsity.KullbackLeibler ? Activation.Sigmoid : config.CodeActivation;
        int[] widths = [config.Inputs, .. config.Hidden, config.CodeSize];
        _encoder = new Sequential();
        for (int i = 0; i + 1 < widths.Length; i++)
            _encoder.Add(new Linear(widths[i], widths[i + 1], activation: i + 2 == widths.Length ? code : config.Activation, rng: rng));
        _decoder = new Sequential();
        for (int i = widths.Length - 1; i > 0; i--)
            _decoder.Add(new Linear(widths[i], widths[i - 1], activation: i == 1 ? LastActivation : config.Activation, rng: rng));
        _network = new EncoderDecoder(_encoder, _decoder);
        if (config.Initialization == WeightInit.Glorot)
        {
            foreach (var (_, weight) in _network.NamedParameters())
                if (weight.Rank == 2) Init.GlorotUniform(weight, rng);   // the layers start with He for ReLU
        }
        else if (config.Initialization == WeightInit.FanInUniform) NetworkInit.FanInUniform(_network, rng);
        _network.Eval();
    }

    /// <summary>The architecture (saved with the model).</summary>
    public DenseAutoencoderConfig Config { get; }
    /// <inheritdoc/>
    public int Inputs => Config.Inputs;
    /// <inheritdoc/>
    public int CodeSize => Config.CodeSize;

    /// <summary>The history of the last <see cref="Fit"/>, or null for a model that has not been trained here.</summary>
    public History? History => _history;

    /// <summary>The column scaling learned by <see cref="Fit"/> (per <see cref="DenseAutoencoderConfig.Scaling"/>), or null.</summary>
    public IScaler? Scaler => _scaler;

    /// <summary>What the rows are (image geometry or table schema); saved with the model.</summary>
    public DataDescription? Data { get; set; }

    /// <summary>With binary cross-entropy the decoder emits logits; the sigmoid is inside the loss (stable) and applied on output.</summary>
    private bool EmitsLogits => Config.Loss == ReconstructionLoss.BinaryCrossEntropy;

    private Activation LastActivation => EmitsLogits ? Activation.Identity : Config.Output;

    Module ITrainable.Network => _network;

    /// <inheritdoc/>
    public History Fit(Tensor data, FitOptions? options = null, IProgress<TrainingProgress>? progress = null, CancellationToken cancel = default)
    {
        RowChecks.Rows(data, Inputs, "Fit");
        RowChecks.Finite(data);
        _scaler = Config.Scaling switch
        {
            Scaling.MinMax => MinMaxScaler.Fit(data),
            Scaling.Standard => StandardScaler.Fit(data),
            _ => null,
        };
        Tensor scaled = Scale(data);
        _history = Trainer.Fit(this, scaled, options ?? new FitOptions(), progress, cancel);
        Release(scaled, data);
        return _history;
    }

    Tensor ITrainable.Loss(Tensor batch, Rng rng)
    {
        Tensor code = _encoder.Forward(batch);
        Tensor output = _decoder.Forward(code);
        Tensor loss = EmitsLogits ? Loss.BinaryCrossEntropyWithLogits(output, batch) : Loss.Mse(output, batch);
        if (Config.Sparsity != Sparsity.None && Config.SparsityWeight > 0) loss += CodePenalties.Sparse(Config, code) * Config.SparsityWeight;
        if (Config.ContractiveWeight > 0) loss += CodePenalties.Contractive(_encoder, batch, code, rng) * Config.ContractiveWeight;
        return loss;
    }

    /// <inheritdoc/>
    public Tensor Encode(Tensor data)
    {
        RowChecks.Rows(data, Inputs, "Encode");
        return RowChunks.Map(data, CodeSize, InferenceChunk, EncodeChunk);
    }

    /// <inheritdoc/>
    public Tensor Decode(Tensor codes)
    {
        RowChecks.Rows(codes, CodeSize, "Decode");
        return RowChunks.Map(codes, Inputs, InferenceChunk, DecodeChunk);
    }

    /// <inheritdoc/>
    public Tensor Reconstruct(Tensor data)
    {
        RowChecks.Rows(data, Inputs, "Reconstruct");
        return RowChunks.Map(data, Inputs, InferenceChunk, rows => Then(EncodeChunk(rows), DecodeChunk));
    }

    /// <inheritdoc/>
    public float[] ReconstructionError(Tensor data)
    {
        RowChecks.Rows(data, Inputs, "ReconstructionError");
        Tensor scaled = Scale(data);
        using Tensor rebuilt = RowChunks.Map(scaled, Inputs, InferenceChunk, rows => Then(_encoder.Forward(rows), DecodeScaled));
        var errors = new float[data.Dim(0)];
        ReadOnlySpan<float> x = scaled.Span, y = rebuilt.Span;
        for (int r = 0; r < errors.Length; r++)
        {
            double sum = 0;
            for (int c = r * Inputs, end = c + Inputs; c < end; c++) sum += (double)(x[c] - y[c]) * (x[c] - y[c]);
            errors[r] = (float)(sum / Inputs);
        }
        Release(scaled, data);
        return errors;
    }

    private Tensor EncodeChunk(Tensor rows)
    {
        Tensor scaled = Scale(rows);
        Tensor code = _encoder.Forward(scaled);
        Release(scaled, rows, code);
        return code;
    }

    private Tensor DecodeChunk(Tensor codes) => Then(DecodeScaled(codes), Unscale);

    private Tensor DecodeScaled(Tensor codes) => EmitsLogits ? Then(_decoder.Forward(codes), Ops.Sigmoid) : _decoder.Forward(codes);

    /// <summary>The rows as the encoder sees them (after the learned scaling; the same tensor when there is none).</summary>
    internal Tensor Scale(Tensor data) => _scaler?.Transform(data) ?? data;

    /// <summary>The encoder, for applications that fine-tune it (DEC clustering).</summary>
    internal Module Encoder => _encoder;

    private Tensor Unscale(Tensor rows) => _scaler?.InverseTransform(rows) ?? rows;

    /// <summary>next(intermediate), giving the intermediate's storage back to the pool unless the result shares it.</summary>
    private static Tensor Then(Tensor intermediate, Func<Tensor, Tensor> next)
    {
        Tensor result = next(intermediate);
        Release(intermediate, result);
        return result;
    }

    /// <summary>Disposes a temporary of inference unless it shares storage with a tensor still in use.</summary>
    private static void Release(Tensor temporary, params ReadOnlySpan<Tensor> keep)
    {
        foreach (Tensor k in keep)
            if (temporary.SharesStorageWith(k)) return;
        temporary.Dispose();
    }

    // ------------------------------------------------------------------ files

    void IOnnxExportable.Export(OnnxGraphBuilder graph, OnnxPart part)
    {
        string x;
        if (part == OnnxPart.Decoder) x = graph.Input("code", CodeSize);
        else
        {
            x = graph.Apply(_encoder, graph.Scale(graph.Input("rows", Inputs), _scaler), "encoder");
            if (part == OnnxPart.Encoder)
            {
                graph.Output(x, "code");
                return;
            }
        }
        x = graph.Apply(_decoder, x, "decoder");
        if (EmitsLogits) x = graph.Activation(x, Activation.Sigmoid);
        graph.Output(graph.Unscale(x, _scaler), "reconstruction");
    }

    /// <inheritdoc/>
    public void Save(string path) => ModelFile.Save(path, ((ISavedModel)this).Content());

    ModelContent ISavedModel.Content() => ModelFile.Content(this, Config, _network, _history, _scaler, Data);

    /// <summary>Reads a model saved by <see cref="Save"/>; refuses other files with a clear message.</summary>
    public static DenseAutoencoder Open(string path)
    {
        var (content, config) = ModelFile.Read<DenseAutoencoder, DenseAutoencoderConfig>(path, c => c.Validate());
        DenseAutoencoder model = Restore(path, config, content.Tensors, null);
        (model._scaler, model.Data) = ModelFile.ReadData(path, content.Metadata);
        return model;
    }

    /// <summary>A model from its configuration, tensors and scaling, for applications that keep one inside their own file.</summary>
    /// <exception cref="InvalidDataException">The configuration is impossible or the tensors do not fit it.</exception>
    internal static DenseAutoencoder Restore(string path, DenseAutoencoderConfig config, IReadOnlyDictionary<string, Tensor> tensors, IScaler? scaler)
    {
        DenseAutoencoder model;
        try
        {
            model = new DenseAutoencoder(config);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"'{path}' describes an impossible autoencoder: {e.Message}");
        }
        ModelFile.AssignTensors(path, model._network, tensors);
        model._scaler = scaler;
        return model;
    }
}
