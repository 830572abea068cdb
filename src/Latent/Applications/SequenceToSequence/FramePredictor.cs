using Latent.Data;
using Latent.Engine;
using Latent.Engine.Nn;
using Latent.Imaging;
using Latent.Models;
using Latent.Models.Sequence;
using Latent.Training;

namespace Latent.Applications.SequenceToSequence;

/// <summary>
/// Predicts the next frames of a clip from the frames before them (the seeds' "predict the next frame of a video"): a
/// convolutional encoder, an LSTM over the frame codes and a convolutional decoder that says where each pixel of the next
/// frame comes from in the current one (see <see cref="FramePredictorNetwork"/>), trained with binary cross-entropy on
/// single-channel clips whose frames have sides divisible by 8 (Moving MNIST's 64×64, <see cref="MovingDigits"/>).
/// A clip is one row: its frames one after the other, each row by row, values in [0, 1].
/// </summary>
/// <example>
/// <code>
/// Tensor clips = MovingDigits.Generate(Datasets.Load("mnist", Split.Train).Features, clips: 8000);
/// FramePredictor predictor = FramePredictor.Fit(clips, ImageShape.Gray(64, 64));
/// Tensor future = predictor.Predict(firstTenFrames);   // [clips, 10 · 64 · 64]
/// </code>
/// </example>
[ModelKind("frame-predictor", "a next-frame predictor")]
public sealed class FramePredictor : ITrainable, ISavedModel
{
    private const int InferenceChunk = 64;   // clips per forward pass at inference

    private readonly Settings _settings;
    private readonly FramePredictorNetwork _network;

    private FramePredictor(Settings settings, FramePredictorNetwork? network = null)
    {
        _settings = settings;
        _network = network ?? new FramePredictorNetwork(settings.Frame.Height, settings.Frame.Width, settings.Options.CodeSize, settings.Options.Hidden,
            new Rng(settings.Options.Training.Seed));
    }

    /// <summary>The same trained network (shared, not copied) predicting at another <see cref="FramePredictorOptions.Temperature"/>.</summary>
    /// <exception cref="ArgumentException">A temperature not in (0, 1].</exception>
    public FramePredictor WithTemperature(float temperature)
    {
        var options = Options with { Temperature = temperature };
        options.Validate();
        return new FramePredictor(_settings with { Options = options }, _network) { History = History };
    }

    private sealed record Settings(FramePredictorOptions Options, ImageShape Frame);

    /// <summary>The options it was trained with.</summary>
    public FramePredictorOptions Options => _settings.Options;

    /// <summary>The frames' shape.</summary>
    public ImageShape Frame => _settings.Frame;

    /// <summary>The history of training, or null for an opened predictor.</summary>
    public History? History { get; private set; }

    private int Pixels => Frame.Height * Frame.Width;

    Module ITrainable.Network => _network;

    /// <summary>Trains on clips of at least InputFrames + OutputFrames frames (the first ones are watched, the next predicted).</summary>
    /// <exception cref="ArgumentException">Frames that are not single-channel with sides divisible by 8, clips of the wrong length, non-finite values, or invalid options.</exception>
    public static FramePredictor Fit(Tensor clips, ImageShape frame, FramePredictorOptions? options = null, IProgress<TrainingProgress>? progress = null,
        CancellationToken cancel = default)
    {
        options ??= new FramePredictorOptions();
        options.Validate();
        if (frame.Channels != 1 || frame.Height < 8 || frame.Width < 8 || frame.Height % 8 != 0 || frame.Width % 8 != 0)
            throw new ArgumentException($"A frame predictor needs single-channel frames whose sides are multiples of 8; got {ImageConversion.Describe(frame)}.");
        RowChecks.Rows(clips, (options.InputFrames + options.OutputFrames) * frame.Height * frame.Width, "FramePredictor.Fit");
        RowChecks.Finite(clips);
        var predictor = new FramePredictor(new Settings(options, frame));
        predictor.History = Trainer.Fit(predictor, clips, options.Training, progress, cancel);
        predictor._network.Eval();
        return predictor;
    }

    /// <summary>
    /// Trains on <paramref name="clips"/> Moving-MNIST clips of 64×64 frames made from <paramref name="digits"/> (28×28
    /// images: MNIST) by <see cref="MovingDigits"/>, seeded with the options' training seed.
    /// </summary>
    /// <exception cref="ArgumentException">Digits that are not 28×28 images, fewer than 2 clips, or invalid options.</exception>
    public static FramePredictor FitMovingDigits(Dataset digits, int clips, FramePredictorOptions? options = null, IProgress<TrainingProgress>? progress = null,
        CancellationToken cancel = default)
    {
        options ??= new FramePredictorOptions();
        options.Validate();
        if (clips < 2) throw new ArgumentException($"A frame predictor needs at least 2 training clips, not {clips}.");
        ArgumentNullException.ThrowIfNull(digits);
        using Tensor generated = MovingDigits.Generate(digits.Features, clips, options.InputFrames + options.OutputFrames, MovingDigitsSize, options.Training.Seed);
        return Fit(generated, ImageShape.Gray(MovingDigitsSize, MovingDigitsSize), options, progress, cancel);
    }

    /// <summary>The frame side of Moving MNIST (Srivastava et al. 2015).</summary>
    public const int MovingDigitsSize = 64;

    /// <summary>
    /// Tries the predictor on <paramref name="count"/> clips made from <paramref name="digits"/> (held-out digits; seeded with
    /// the training seed + 1): a strip of each (see <see cref="Strip"/>) and how the predictions fare.
    /// </summary>
    /// <exception cref="ArgumentException">Digits that are not 28×28 images, a count below 1, or a predictor not trained on 64×64 frames.</exception>
    public (IReadOnlyList<Raster> Strips, FramePredictionReport Report) TryMovingDigits(Dataset digits, int count)
    {
        ArgumentNullException.ThrowIfNull(digits);
        if (Frame != ImageShape.Gray(MovingDigitsSize, MovingDigitsSize))
            throw new ArgumentException($"Moving digits have 64×64 frames; this predictor was trained on {ImageConversion.Describe(Frame)}.");
        using Tensor clips = MovingDigits.Generate(digits.Features, count, Options.InputFrames + Options.OutputFrames, MovingDigitsSize, Options.Training.Seed + 1);
        Raster[] strips = [.. Enumerable.Range(0, count).Select(c => Strip(clips.Span.Slice(c * clips.Dim(1), clips.Dim(1))))];
        return (strips, Evaluate(clips));
    }

    /// <summary>
    /// A picture of one clip [(InputFrames + OutputFrames) · pixels]: the watched frames on the first row, the true next
    /// frames on the second and the predicted ones on the third.
    /// </summary>
    /// <exception cref="ArgumentException">A clip of the wrong length.</exception>
    public Raster Strip(ReadOnlySpan<float> clip)
    {
        int watched = Options.InputFrames, future = Options.OutputFrames, pixels = Pixels, columns = Math.Max(watched, future);
        if (clip.Length != (watched + future) * pixels)
            throw new ArgumentException($"A clip of this predictor has {(watched + future) * pixels} values ({watched + future} frames of {ImageConversion.Describe(Frame)}), not {clip.Length}.");
        using Tensor predicted = Predict(Tensor.FromArray(clip[..(watched * pixels)], 1, watched * pixels));
        var cells = new float[3 * columns * pixels];
        clip[..(watched * pixels)].CopyTo(cells);
        clip[(watched * pixels)..].CopyTo(cells.AsSpan(columns * pixels));
        predicted.Span.CopyTo(cells.AsSpan(2 * columns * pixels));
        return ImageGrid.Compose(cells, Frame, new GridLayout { Columns = columns });
    }

    // Every frame after the first is scored: the observed ones (each predicted from the frame before it) teach the
    // motion from true frames, the future ones to carry it on from the network's own predictions.
    Tensor ITrainable.Loss(Tensor batch, Rng rng)
    {
        int watched = Options.InputFrames, future = Options.OutputFrames;
        Tensor frames = _network.Frames(TimeMajor.FromRows(batch, Pixels, 0, watched), watched, future);
        return CrossEntropy(frames, TimeMajor.FromRows(batch, Pixels, 1, watched - 1 + future));
    }

    /// <summary>Binary cross-entropy of probabilities (the predicted frames are mixtures of pixels, not logits), kept off log 0.</summary>
    private static Tensor CrossEntropy(Tensor probabilities, Tensor target)
    {
        Tensor p = Ops.Clamp(probabilities, 1e-4f, 1 - 1e-4f);
        Tensor absent = Ops.AddScalar(Ops.Scale(target, -1), 1);
        return Ops.Scale(Ops.Mean(target * Ops.Log(p) + absent * Ops.Log(Ops.AddScalar(Ops.Scale(p, -1), 1))), -1);
    }

    /// <summary>The next OutputFrames frames after each clip's InputFrames frames: [clips, OutputFrames · pixels] in [0, 1].</summary>
    /// <exception cref="ArgumentException">Rows that are not InputFrames frames of the trained shape, or non-finite values.</exception>
    public Tensor Predict(Tensor observed)
    {
        RowChecks.Rows(observed, Options.InputFrames * Pixels, "FramePredictor.Predict");
        RowChecks.Finite(observed);
        return RowChunks.Map(observed, Options.OutputFrames * Pixels, InferenceChunk, PredictChunk);
    }

    private Tensor PredictChunk(Tensor observed)
    {
        using var _ = Tensor.NoGrad();
        int clips = observed.Dim(0), watched = Options.InputFrames, future = Options.OutputFrames;
        using Tensor steps = TimeMajor.FromRows(observed, Pixels, 0, watched);
        using Tensor predicted = _network.Predict(steps, watched, future, Options.Temperature);
        return TimeMajor.ToRows(predicted, future, clips);
    }

    /// <summary>
    /// Per-frame MSE and SSIM of the predictions for <paramref name="clips"/> (InputFrames watched, the next OutputFrames
    /// scored), beside repeating the last watched frame.
    /// </summary>
    public FramePredictionReport Evaluate(Tensor clips)
    {
        int watched = Options.InputFrames, future = Options.OutputFrames, pixels = Pixels;
        RowChecks.Rows(clips, (watched + future) * pixels, "FramePredictor.Evaluate");
        int n = clips.Dim(0), length = (watched + future) * pixels;
        using Tensor observed = Tensor.Zeros(n, watched * pixels);
        for (int c = 0; c < n; c++) clips.Span.Slice(c * length, watched * pixels).CopyTo(observed.Span.Slice(c * watched * pixels, watched * pixels));
        using Tensor predicted = Predict(observed);
        double[] mse = new double[future], ssim = new double[future], repeatMse = new double[future], repeatSsim = new double[future];
        for (int c = 0; c < n; c++)
        {
            ReadOnlySpan<float> clip = clips.Span.Slice(c * length, length), last = clip.Slice((watched - 1) * pixels, pixels);
            for (int f = 0; f < future; f++)
            {
                ReadOnlySpan<float> truth = clip.Slice((watched + f) * pixels, pixels), guess = predicted.Span.Slice((c * future + f) * pixels, pixels);
                mse[f] += ImageMetrics.MeanSquaredError(truth, guess) / n;
                ssim[f] += ImageMetrics.Ssim(truth, guess, Frame) / n;
                repeatMse[f] += ImageMetrics.MeanSquaredError(truth, last) / n;
                repeatSsim[f] += ImageMetrics.Ssim(truth, last, Frame) / n;
            }
        }
        return new FramePredictionReport(n, mse, ssim, repeatMse, repeatSsim);
    }

    // ------------------------------------------------------------------ files

    /// <summary>Writes the predictor (network, frame shape, options) to a safetensors file, atomically.</summary>
    public void Save(string path) => ModelFile.Save(path, ((ISavedModel)this).Content());

    ModelContent ISavedModel.Content() => ModelFile.Content(this, _settings, _network, History, scaler: null, data: null);

    /// <summary>Reads a predictor saved by <see cref="Save"/>; refuses other files with a clear message.</summary>
    /// <exception cref="InvalidDataException">Not a frame predictor file, or a damaged one.</exception>
    public static FramePredictor Open(string path)
    {
        var (content, settings) = ModelFile.Read<FramePredictor, Settings>(path, s =>
        {
            if (s.Options is null || s.Frame.Channels != 1 || s.Frame.Height < 8 || s.Frame.Width < 8 || s.Frame.Height % 8 != 0 || s.Frame.Width % 8 != 0)
                throw new ArgumentException("bad settings");
            s.Options.Validate();
        });
        var predictor = new FramePredictor(settings);
        ModelFile.AssignTensors(path, predictor._network, content.Tensors);
        predictor._network.Eval();
        return predictor;
    }
}
