using Latent.Data;
using Latent.Engine;
using Latent.Engine.Losses;
using Latent.Engine.Nn;
using Latent.Imaging;
using Latent.Training;

namespace Latent.Models.Sequence;

/// <summary>
/// The LSTM autoencoder for windows of a series (Srivastava et al. 2015; Malhotra et al. 2016): an encoder reads the
/// window step by step into its final hidden state (the code); the decoder reads that code at every step and a linear
/// layer turns each of its steps into the window's values; training minimises the mean squared error. A row is one
/// window flattened step by step: value f of step t is column t·Features + f.
/// <code>
/// var model = new SequenceAutoencoder(new SequenceAutoencoderConfig { Steps = 48 });
/// model.Fit(windows, new FitOptions { Epochs = 30, BatchSize = 64 });
/// float[] errors = model.ReconstructionError(windows);   // one per window
/// </code>
/// </summary>
[ModelKind("sequence", "a sequence (LSTM) autoencoder")]
public sealed class SequenceAutoencoder : IAutoencoder, ITrainable, ISavedModel
{
    private const int InferenceChunk = 1024;   // windows per forward pass at inference

    private readonly RecurrentLayer _encoder, _decoder;
    private readonly Linear _output;
    private readonly Network _network;
    private History? _history;
    private IScaler? _scaler;

    /// <summary>A new model with the architecture of <paramref name="config"/> and freshly initialised weights.</summary>
    public SequenceAutoencoder(SequenceAutoencoderConfig config)
    {
        config.Validate();
        Config = config;
        var rng = new Rng(config.Seed);
        _encoder = Recurrent(config.Features, rng);
        _decoder = Recurrent(config.Hidden, rng);
        _output = new Linear(config.Hidden, config.Features, rng: rng);
        _network = new Network(_encoder, _decoder, _output);
        _network.Eval();
    }

    private RecurrentLayer Recurrent(int inputs, Rng rng) => Config.Cell == RecurrentCell.Lstm
        ? new Lstm(inputs, Config.Hidden, Config.Layers, rng: rng)
        : new Gru(inputs, Config.Hidden, Config.Layers, rng: rng);

    /// <summary>The encoder, the decoder and the output layer as one module (parameters <c>encoder.…</c>, <c>decoder.…</c>, <c>output.…</c>).</summary>
    private sealed class Network : Module
    {
        public Network(Module encoder, Module decoder, Module output)
        {
            AddModule("encoder", encoder);
            AddModule("decoder", decoder);
            AddModule("output", output);
        }

        public override Tensor Forward(Tensor input) => throw new NotSupportedException("Use the autoencoder's Encode and Decode.");
    }

    /// <summary>The architecture (saved with the model).</summary>
    public SequenceAutoencoderConfig Config { get; }
    /// <inheritdoc/>
    public int Inputs => Config.Inputs;
    /// <inheritdoc/>
    public int CodeSize => Config.Hidden;
    /// <summary>The history of the last <see cref="Fit"/>, or null for a model that has not been trained here.</summary>
    public History? History => _history;
    /// <inheritdoc/>
    public DataDescription? Data { get; set; }

    Module ITrainable.Network => _network;

    /// <inheritdoc/>
    public History Fit(Tensor data, FitOptions? options = null, IProgress<TrainingProgress>? progress = null, CancellationToken cancel = default)
    {
        RowChecks.Rows(data, Inputs, "Fit");
        RowChecks.Finite(data);
        _scaler = Config.Scaling == Scaling.Standard ? FeatureScaler(data) : null;
        Tensor scaled = Scale(data);
        _history = Trainer.Fit(this, scaled, options ?? new FitOptions(), progress, cancel);
        if (!scaled.SharesStorageWith(data)) scaled.Dispose();
        return _history;
    }

    Tensor ITrainable.Loss(Tensor batch, Rng rng)
    {
        Tensor steps = Steps(batch);   // also the target, which the loss's backward reads: not disposed here
        Tensor rebuilt = DecodeSteps(_encoder.Run(Sequence(steps, batch.Dim(0))).Hidden, batch.Dim(0));
        return Loss.Mse(rebuilt, steps);
    }

    /// <inheritdoc/>
    public Tensor Encode(Tensor data)
    {
        RowChecks.Rows(data, Inputs, "Encode");
        return RowChunks.Map(data, CodeSize, InferenceChunk, rows => Scaled(rows, CodesOf));
    }

    /// <inheritdoc/>
    public Tensor Decode(Tensor codes)
    {
        RowChecks.Rows(codes, CodeSize, "Decode");
        return RowChunks.Map(codes, Inputs, InferenceChunk, c =>
        {
            using var _ = Tensor.NoGrad();
            return Unscale(Rows(DecodeSteps(LastLayer(c), c.Dim(0)), c.Dim(0)));
        });
    }

    /// <inheritdoc/>
    public Tensor Reconstruct(Tensor data)
    {
        RowChecks.Rows(data, Inputs, "Reconstruct");
        return RowChunks.Map(data, Inputs, InferenceChunk, rows => Unscale(Scaled(rows, RebuildScaled)));
    }

    /// <inheritdoc/>
    public float[] ReconstructionError(Tensor data)
    {
        RowChecks.Rows(data, Inputs, "ReconstructionError");
        using Tensor errors = RowChunks.Map(data, 1, InferenceChunk, rows =>
        {
            Tensor scaled = Scale(rows);
            using Tensor rebuilt = RebuildScaled(scaled);
            var chunk = Tensor.Zeros(rows.Dim(0), 1);
            for (int r = 0; r < rows.Dim(0); r++)
                chunk.Span[r] = (float)ImageMetrics.MeanSquaredError(scaled.Span.Slice(r * Inputs, Inputs), rebuilt.Span.Slice(r * Inputs, Inputs));
            if (!scaled.SharesStorageWith(rows)) scaled.Dispose();
            return chunk;
        });
        return errors.ToArray();
    }

    /// <summary>Scaled windows [rows, Inputs] → their reconstruction, scaled, in the same layout.</summary>
    private Tensor RebuildScaled(Tensor scaled)
    {
        using var _ = Tensor.NoGrad();
        int rows = scaled.Dim(0);
        using Tensor steps = Steps(scaled);
        return Rows(DecodeSteps(_encoder.Run(Sequence(steps, rows)).Hidden, rows), rows);
    }

    private Tensor CodesOf(Tensor scaled)
    {
        using var _ = Tensor.NoGrad();
        using Tensor steps = Steps(scaled);
        Tensor hidden = _encoder.Run(Sequence(steps, scaled.Dim(0))).Hidden;   // [layers, rows, hidden]
        return Ops.Slice(hidden, 0, Config.Layers - 1, 1).Reshape(scaled.Dim(0), CodeSize);
    }

    /// <summary>The decoder's rebuild [steps·rows, Features] (time-major) from the encoder's final state [layers, rows, hidden]: the top layer's state is every step's input.</summary>
    private Tensor DecodeSteps(Tensor encoderState, int rows)
    {
        Tensor code = encoderState.Dim(0) == 1 ? encoderState : Ops.Slice(encoderState, 0, Config.Layers - 1, 1);
        Tensor repeated = Ops.Concat([.. Enumerable.Repeat(code, Config.Steps)], axis: 0);   // [steps, rows, hidden]
        Tensor decoded = _decoder.Run(repeated).Output;
        return _output.Forward(decoded.Reshape(Config.Steps * rows, Config.Hidden));
    }
    /// <summary>Codes [rows, hidden] as a one-layer encoder state [1, rows, hidden].</summary>
    private static Tensor LastLayer(Tensor codes) => codes.Reshape(1, codes.Dim(0), codes.Dim(1));

    /// <summary>Windows [rows, Inputs] as time-major steps [Steps · rows, Features] (a copy).</summary>
    private Tensor Steps(Tensor rows) => TimeMajor.FromRows(rows, Config.Features, 0, Config.Steps);

    /// <summary>Time-major steps viewed as the sequence [Steps, rows, Features] the recurrent layers read.</summary>
    private Tensor Sequence(Tensor steps, int rows) => steps.Reshape(Config.Steps, rows, Config.Features);

    /// <summary>A time-major rebuild [Steps · rows, Features] as rows [rows, Inputs], the rebuild given back to the pool.</summary>
    private Tensor Rows(Tensor rebuilt, int rows)
    {
        Tensor result = TimeMajor.ToRows(rebuilt, Config.Steps, rows);
        rebuilt.Dispose();
        return result;
    }

    /// <summary>Each feature's mean and standard deviation over every step of every window, repeated for each step's columns.</summary>
    private IScaler FeatureScaler(Tensor data)
    {
        int features = Config.Features;
        using Tensor pooled = data.Reshape(data.Dim(0) * Config.Steps, features);
        StandardScaler perFeature = StandardScaler.Fit(pooled);
        double[] mean = [.. Enumerable.Range(0, Inputs).Select(c => perFeature.Mean[c % features])];
        double[] std = [.. Enumerable.Range(0, Inputs).Select(c => perFeature.StandardDeviation[c % features])];
        return StandardScaler.FromParameters(mean, std);
    }

    private Tensor Scale(Tensor data) => _scaler?.Transform(data) ?? data;

    /// <summary><paramref name="use"/> of the scaled rows, giving a scaled copy back to the pool afterwards.</summary>
    private Tensor Scaled(Tensor rows, Func<Tensor, Tensor> use)
    {
        Tensor scaled = Scale(rows);
        Tensor result = use(scaled);
        if (!scaled.SharesStorageWith(rows)) scaled.Dispose();
        return result;
    }

    private Tensor Unscale(Tensor rows) => _scaler?.InverseTransform(rows) ?? rows;

    // ------------------------------------------------------------------ files

    /// <inheritdoc/>
    public void Save(string path) => ModelFile.Save(path, ((ISavedModel)this).Content());

    ModelContent ISavedModel.Content() => ModelFile.Content(this, Config, _network, _history, _scaler, Data);

    /// <summary>Reads a model saved by <see cref="Save"/>; refuses other files with a clear message.</summary>
    public static SequenceAutoencoder Open(string path)
    {
        var (content, config) = ModelFile.Read<SequenceAutoencoder, SequenceAutoencoderConfig>(path, c => c.Validate());
        var model = new SequenceAutoencoder(config);
        ModelFile.AssignTensors(path, model._network, content.Tensors);
        (model._scaler, model.Data) = ModelFile.ReadData(path, content.Metadata);
        return model;
    }
}
