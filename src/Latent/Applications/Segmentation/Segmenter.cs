using Latent.Data;
using Latent.Engine;
using Latent.Engine.Losses;
using Latent.Engine.Nn;
using Latent.Imaging;
using Latent.Models;
using Latent.Reporting;
using Latent.Training;

namespace Latent.Applications.Segmentation;

/// <summary>
/// Labels every pixel of an image with a class (binary or multi-class masks): a <see cref="UNet"/> trained on images with
/// their masks by pixel-wise cross-entropy plus soft Dice (<see cref="SegmenterOptions.DiceWeight"/>). Images are rows of
/// channel-first floats in [0, 1]; masks are class ids, one per pixel, image after image. Any image size can be segmented.
/// </summary>
/// <example>
/// <code>
/// var (images, masks) = SyntheticShapes.Generate(500, 32, seed: 1);
/// var segmenter = Segmenter.Fit(images, masks, SyntheticShapes.Shape(32));
/// int[] mask = segmenter.Segment(pixels, ImageShape.Gray(64, 64));   // 64 × 64 class ids
/// </code>
/// </example>
[ModelKind("segmenter", "a segmenter")]
public sealed class Segmenter : ITrainable, ISavedModel
{
    private const string NetworkPrefix = "unet.";

    private readonly Settings _settings;
    private ImageShape _trainShape;
    private float _diceWeight;
    private Tensor? _targets;   // reused one-hot targets of a batch

    /// <summary>What a segmenter file stores besides the weights.</summary>
    internal sealed record Settings(int Classes, UNetConfig Model);

    private Segmenter(Settings settings, UNet network)
    {
        _settings = settings;
        Network = network;
    }

    /// <summary>The trained network (the images' channels in, one score per class out).</summary>
    public UNet Network { get; }

    /// <summary>Number of classes (mask values 0 … Classes − 1).</summary>
    public int Classes => _settings.Classes;

    /// <summary>Channels of the images it segments.</summary>
    public int Channels => _settings.Model.InChannels;

    /// <summary>The history of training, or null for an opened segmenter.</summary>
    public History? History { get; private set; }

    Module ITrainable.Network => Network.Network;

    /// <summary>Trains on images (rows of channels × height × width in [0, 1]) and their masks (height × width class ids per image).</summary>
    /// <exception cref="ArgumentException">Rows or masks that do not match the shape, a class id out of range, non-finite values, or invalid options.</exception>
    public static Segmenter Fit(Tensor images, ReadOnlySpan<int> masks, ImageShape shape, SegmenterOptions? options = null,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancel = default)
    {
        options ??= new SegmenterOptions();
        options.Validate();
        if (shape.Channels < 1 || shape.Height < 1 || shape.Width < 1)
            throw new ArgumentException($"The image shape must be positive; got {shape.Channels}×{shape.Height}×{shape.Width}.");
        RowChecks.Rows(images, shape.Size, "Segmenter.Fit");
        RowChecks.Finite(images);
        int n = images.Dim(0), pixels = shape.Height * shape.Width;
        if (masks.Length != (long)n * pixels)
            throw new ArgumentException($"The masks hold {masks.Length} class ids; {n} images of {shape.Height}×{shape.Width} need {(long)n * pixels}.");
        int largest = 0;
        for (int i = 0; i < masks.Length; i++)
        {
            if (masks[i] < 0) throw new ArgumentException($"Mask pixel {i} has the class {masks[i]}; classes are numbered from 0.");
            largest = Math.Max(largest, masks[i]);
        }
        int classes = options.Classes ?? Math.Max(2, largest + 1);
        if (largest >= classes) throw new ArgumentException($"The masks use class {largest}, but there are only {classes} classes (0 to {classes - 1}).");
        if (classes > 256) throw new ArgumentException($"The masks use class {largest}; a segmenter handles at most 256 classes.");

        // One row per image: its pixels, then its mask's class ids, so that the training loop shuffles them together.
        using Tensor rows = Tensor.Zeros(n, shape.Size + pixels);
        for (int i = 0; i < n; i++)
        {
            images.Span.Slice(i * shape.Size, shape.Size).CopyTo(rows.Span.Slice(i * (shape.Size + pixels), shape.Size));
            Span<float> ids = rows.Span.Slice(i * (shape.Size + pixels) + shape.Size, pixels);
            for (int p = 0; p < pixels; p++) ids[p] = masks[i * pixels + p];
        }
        UNetConfig config = options.Network(shape.Channels, classes);
        var segmenter = new Segmenter(new Settings(classes, config), new UNet(config)) { _trainShape = shape, _diceWeight = options.DiceWeight };
        try
        {
            segmenter.History = Trainer.Fit(segmenter, rows, options.Training, progress, cancel);
        }
        finally
        {
            segmenter._targets?.Dispose();
            segmenter._targets = null;
        }
        return segmenter;
    }

    Tensor ITrainable.Loss(Tensor batch, Rng rng)
    {
        int n = batch.Dim(0), size = _trainShape.Size, pixels = _trainShape.Height * _trainShape.Width;
        Tensor images = Ops.Slice(batch, 1, 0, size).Reshape(n, _trainShape.Channels, _trainShape.Height, _trainShape.Width);
        Tensor logits = Network.Forward(images);
        if (_targets is null || _targets.Dim(0) != n)
        {
            _targets?.Dispose();   // the previous step's graph is gone: nothing refers to the old buffer
            _targets = Tensor.Zeros(n, Classes, _trainShape.Height, _trainShape.Width);
        }
        Span<float> targets = _targets.Span;
        targets.Clear();
        ReadOnlySpan<float> rows = batch.Span;
        for (int i = 0; i < n; i++)
            for (int p = 0; p < pixels; p++)
                targets[(i * Classes + (int)rows[i * (size + pixels) + size + p]) * pixels + p] = 1;
        Tensor loss = PixelLoss.CrossEntropy(logits, _targets);
        return _diceWeight == 0 ? loss : loss + PixelLoss.Dice(logits, _targets) * _diceWeight;
    }

    /// <summary>The class of every pixel of one image of any size (channel-first floats of <paramref name="shape"/>): height × width ids.</summary>
    /// <exception cref="ArgumentException">The values do not match the shape, the channels are not the segmenter's, or a value is not finite.</exception>
    public int[] Segment(ReadOnlySpan<float> image, ImageShape shape)
    {
        CheckShape(shape);
        if (image.Length != shape.Size)
            throw new ArgumentException($"The image has {image.Length} values; a {shape.Channels}×{shape.Height}×{shape.Width} image has {shape.Size}.");
        using Tensor row = Tensor.FromArray(image, 1, shape.Size);
        return Segment(row, shape);
    }

    /// <summary>The classes of the pixels of many images of one shape (rows): height × width ids per image, image after image. Thread-safe.</summary>
    /// <exception cref="ArgumentException">The rows do not match the shape, the channels are not the segmenter's, or a value is not finite.</exception>
    public int[] Segment(Tensor images, ImageShape shape)
    {
        CheckShape(shape);
        RowChecks.Rows(images, shape.Size, "Segment");
        RowChecks.Finite(images);
        int n = images.Dim(0), pixels = shape.Height * shape.Width;
        using Tensor batch = images.Reshape(n, shape.Channels, shape.Height, shape.Width);
        using Tensor logits = Network.Predict(batch);
        var ids = new int[n * pixels];
        ReadOnlySpan<float> z = logits.Span;
        for (int i = 0; i < n; i++)
            for (int p = 0; p < pixels; p++)
            {
                int best = 0;
                float max = z[i * Classes * pixels + p];
                for (int c = 1; c < Classes; c++)
                    if (z[(i * Classes + c) * pixels + p] is var v && v > max) (best, max) = (c, v);
                ids[i * pixels + p] = best;
            }
        return ids;
    }

    /// <summary>IoU, Dice and pixel accuracy of the segmenter's masks for <paramref name="images"/> against <paramref name="masks"/>.</summary>
    public MaskMetrics Evaluate(Tensor images, ReadOnlySpan<int> masks, ImageShape shape)
    {
        int[] predicted = Segment(images, shape);
        if (masks.Length != predicted.Length)
            throw new ArgumentException($"The masks hold {masks.Length} class ids; the {images.Dim(0)} images have {predicted.Length} pixels.");
        return MaskMetrics.Of(masks, predicted, Classes);
    }

    private void CheckShape(ImageShape shape)
    {
        if (shape.Channels != Channels || shape.Height < 1 || shape.Width < 1)
            throw new ArgumentException($"This segmenter takes images of {Counted.Of(Channels, "channel")}; got a {shape.Channels}×{shape.Height}×{shape.Width} image.");
    }

    /// <summary>
    /// The image in colour with each class's pixels tinted by its colour (class 0, the background, left as it is), at
    /// <paramref name="opacity"/>: three planes of height × width values in [0, 1].
    /// </summary>
    public static float[] Overlay(ReadOnlySpan<float> image, ImageShape shape, ReadOnlySpan<int> mask, float opacity = 0.5f)
    {
        int pixels = shape.Height * shape.Width;
        if (image.Length != shape.Size || mask.Length != pixels || shape.Channels is not (1 or 3))
            throw new ArgumentException($"The overlay needs a gray or RGB image and a mask of {pixels} pixels; got {image.Length} values and {mask.Length} mask pixels for {shape.Channels}×{shape.Height}×{shape.Width}.");
        var rgb = new float[3 * pixels];
        for (int c = 0; c < 3; c++)
            for (int p = 0; p < pixels; p++)
            {
                float v = image[(shape.Channels == 1 ? 0 : c) * pixels + p];
                rgb[c * pixels + p] = mask[p] == 0 ? v : (1 - opacity) * v + opacity * ClassColor(mask[p], c);
            }
        return rgb;
    }

    /// <summary>A distinct colour for each class id (a fixed, spread-out palette), channel c of it.</summary>
    private static float ClassColor(int id, int channel)
    {
        // Hues spaced by the golden angle, full saturation.
        double hue = (id * 0.61803398875) % 1.0 * 6;
        double x = 1 - Math.Abs(hue % 2 - 1);
        (double r, double g, double b) = (int)hue switch
        {
            0 => (1.0, x, 0.0), 1 => (x, 1.0, 0.0), 2 => (0.0, 1.0, x), 3 => (0.0, x, 1.0), 4 => (x, 0.0, 1.0), _ => (1.0, 0.0, x),
        };
        return (float)(channel == 0 ? r : channel == 1 ? g : b);
    }

    // ------------------------------------------------------------------ files

    /// <summary>Writes the segmenter (network and classes) to a safetensors file, atomically.</summary>
    public void Save(string path) => ModelFile.Save(path, ((ISavedModel)this).Content());

    ModelContent ISavedModel.Content() => ModelFile.Content(this, _settings,
        [.. Network.Network.NamedTensors().Select(t => (NetworkPrefix + t.Name, t.Tensor))], History, scaler: null, data: null);

    /// <summary>Reads a segmenter saved by <see cref="Save"/>; refuses other files with a clear message.</summary>
    /// <exception cref="InvalidDataException">Not a segmenter file, or a damaged one.</exception>
    public static Segmenter Open(string path)
    {
        var (content, settings) = ModelFile.Read<Segmenter, Settings>(path, s =>
        {
            if (s.Model is null || s.Classes < 2 || s.Model.OutChannels != s.Classes) throw new ArgumentException("bad settings");
            s.Model.Validate();
        });
        if (content.Tensors.Keys.FirstOrDefault(k => !k.StartsWith(NetworkPrefix, StringComparison.Ordinal)) is { } unexpected)
            throw new InvalidDataException($"'{path}' has an unexpected tensor '{unexpected}'.");
        var network = content.Tensors.ToDictionary(t => t.Key[NetworkPrefix.Length..], t => t.Value);
        return new Segmenter(settings, UNet.FromTensors(path, settings.Model, network));
    }
}
