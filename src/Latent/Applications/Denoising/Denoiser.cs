using System.Globalization;
using Latent.Data;
using Latent.Engine;
using Latent.Engine.Nn;
using Latent.Imaging;
using Latent.Models;
using Latent.Training;

namespace Latent.Applications.Denoising;

/// <summary>
/// Removes noise from images with a convolutional autoencoder trained to map noisy images to clean ones: either from
/// clean images with noise added afresh for every batch (<see cref="Fit"/>), or from given noisy/clean pairs
/// (<see cref="FitPairs"/>). Rows are images flattened channel-first with values in [0, 1].
/// </summary>
/// <remarks>
/// A denoiser is saved as a convolutional autoencoder file (kind "conv"), not a kind of its own: the network is
/// exactly a <see cref="ConvAutoencoder"/>, so every verb that takes an autoencoder (encode, reconstruct, search) reads
/// it, and any convolutional model opens as a denoiser. The noise it was trained on rides along as extra metadata.
/// </remarks>
/// <example>
/// <code>
/// var denoiser = Denoiser.Fit(train.Features, ImageShape.Gray(28, 28), new DenoiserOptions { Noise = new(NoiseKind.Gaussian, 0.5f) });
/// Tensor clean = denoiser.Denoise(noisyRows);
/// DenoisingReport r = denoiser.Evaluate(testClean, testNoisy);   // r.DenoisedPsnr vs r.NoisyPsnr
/// denoiser.Save("denoiser.safetensors");
/// </code>
/// </example>
public sealed class Denoiser : ITrainable, ISavedModel
{
    private const string NoiseKey = "latent.denoiser.noise";
    private const int Chunk = 256;   // images per pass in Denoise(list): bounds memory for big folders

    private Tensor? _noisy;     // reused input buffer of one training batch
    private Tensor? _targets;   // while training on pairs: the clean images, row for row with the noisy ones
    private Tensor? _clean;     // the targets of one training batch (its loss refers to them until the next step)

    private Denoiser(ConvAutoencoder model, ImageNoise? noise)
    {
        Model = model;
        Noise = noise;
    }

    /// <summary>The trained network.</summary>
    public ConvAutoencoder Model { get; }

    /// <summary>The noise it was trained to remove, when known (null after training on pairs or for a plain convolutional model).</summary>
    public ImageNoise? Noise { get; }

    /// <summary>The geometry of the images it denoises.</summary>
    public ImageShape Image => Model.Image;

    /// <summary>The history of training, or null for an opened denoiser.</summary>
    public History? History { get; private set; }

    Module ITrainable.Network => Model.Network;

    /// <summary>Trains on clean images, adding <see cref="DenoiserOptions.Noise"/> to each batch as it is drawn.</summary>
    /// <exception cref="ArgumentException">The rows do not match the shape, hold non-finite values, or the options are invalid.</exception>
    public static Denoiser Fit(Tensor clean, ImageShape shape, DenoiserOptions? options = null, IProgress<TrainingProgress>? progress = null,
        CancellationToken cancel = default)
    {
        options ??= new DenoiserOptions();
        options.Validate();
        ConvAutoencoder model = CreateModel(shape, options);
        RowChecks.Rows(clean, shape.Size, "Denoiser.Fit");
        RowChecks.Finite(clean);
        var denoiser = new Denoiser(model, options.Noise);
        denoiser.Train(clean, options.Training, progress, cancel);
        return denoiser;
    }

    /// <summary>Trains on pairs: row i of <paramref name="noisy"/> must become row i of <paramref name="clean"/>.</summary>
    public static Denoiser FitPairs(Tensor noisy, Tensor clean, ImageShape shape, DenoiserOptions? options = null,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancel = default)
    {
        options ??= new DenoiserOptions();
        options.Validate();
        ConvAutoencoder model = CreateModel(shape, options);
        RowChecks.Rows(noisy, shape.Size, "Denoiser.FitPairs (noisy)");
        RowChecks.Rows(clean, shape.Size, "Denoiser.FitPairs (clean)");
        if (noisy.Dim(0) != clean.Dim(0))
            throw new ArgumentException($"There are {noisy.Dim(0)} noisy images but {clean.Dim(0)} clean ones; they must pair up.");
        RowChecks.Finite(noisy);
        RowChecks.Finite(clean);
        var denoiser = new Denoiser(model, null) { _targets = clean };
        denoiser.Train(noisy, options.Training, progress, cancel);
        return denoiser;
    }

    /// <summary>Wraps a trained convolutional autoencoder (for instance one loaded from a file).</summary>
    public static Denoiser From(ConvAutoencoder model) => new(model ?? throw new ArgumentNullException(nameof(model)), null);

    /// <summary>Reads a denoiser saved with <see cref="Save"/>, or any convolutional autoencoder file.</summary>
    /// <exception cref="InvalidDataException">Not a convolutional model file, or unreadable noise metadata.</exception>
    public static Denoiser Open(string path)
    {
        ConvAutoencoder model = ConvAutoencoder.Open(path);
        var (content, _) = ModelFile.Read(path);
        return new Denoiser(model, content.Metadata.TryGetValue(NoiseKey, out string? noise) ? ParseNoise(path, noise) : null);
    }

    /// <summary>Saves the network as a convolutional autoencoder file, with the noise it learned to remove.</summary>
    public void Save(string path) => ModelFile.Save(path, ((ISavedModel)this).Content());

    ModelContent ISavedModel.Content() => ModelFile.Content(Model, Model.Config, Model.Network, History ?? Model.History, scaler: null,
        Model.Data ?? new DataDescription(Image),
        Noise is null ? null : new Dictionary<string, string> { [NoiseKey] = string.Create(CultureInfo.InvariantCulture, $"{Noise.Kind}:{Noise.Strength:R}") });

    private static ImageNoise ParseNoise(string path, string text)
    {
        string[] parts = text.Split(':');
        if (parts.Length == 2 && Enum.TryParse(parts[0], out NoiseKind kind) && Enum.IsDefined(kind)
            && float.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out float strength))
        {
            try
            {
                return new ImageNoise(kind, strength);
            }
            catch (ArgumentException)
            {
            }
        }
        throw new InvalidDataException($"'{path}' has unreadable denoiser noise '{text}'.");
    }

    /// <summary>The denoised images: [rows, channels × height × width] in [0, 1].</summary>
    public Tensor Denoise(Tensor noisy) => Model.Reconstruct(noisy);

    /// <summary>One denoised image (channel-first floats).</summary>
    public float[] Denoise(ReadOnlySpan<float> image)
    {
        using Tensor row = Tensor.FromArray(image, 1, Image.Size);
        using Tensor result = Model.Reconstruct(row);
        return result.ToArray();
    }

    /// <summary>
    /// Denoised copies of images given as channel-first floats of <see cref="Image"/>'s shape, run in batches; the
    /// inputs are not changed.
    /// </summary>
    /// <exception cref="ArgumentException">An image of another size.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancel"/> was triggered (checked between batches).</exception>
    public float[][] Denoise(IReadOnlyList<float[]> images, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(images);
        int size = Image.Size;
        var result = new float[images.Count][];
        for (int start = 0; start < images.Count; start += Chunk)
        {
            cancel.ThrowIfCancellationRequested();
            int n = Math.Min(Chunk, images.Count - start);
            using Tensor rows = Tensor.Zeros(n, size);
            for (int i = 0; i < n; i++)
            {
                float[] image = images[start + i] ?? throw new ArgumentNullException(nameof(images), $"Image {start + i} is null.");
                if (image.Length != size) throw new ArgumentException($"Image {start + i} has {image.Length} values; this denoiser takes {Image.Channels}×{Image.Height}×{Image.Width} = {size}.");
                image.CopyTo(rows.Span.Slice(i * size, size));
            }
            using Tensor denoised = Denoise(rows);
            for (int i = 0; i < n; i++) result[start + i] = denoised.Span.Slice(i * size, size).ToArray();
        }
        return result;
    }

    /// <summary>PSNR and SSIM of the noisy images and of their denoised versions against the clean ones.</summary>
    public DenoisingReport Evaluate(Tensor clean, Tensor noisy)
    {
        RowChecks.Rows(clean, Image.Size, "Evaluate (clean)");
        RowChecks.Rows(noisy, Image.Size, "Evaluate (noisy)");
        if (clean.Dim(0) != noisy.Dim(0)) throw new ArgumentException($"There are {clean.Dim(0)} clean images but {noisy.Dim(0)} noisy ones.");
        using Tensor denoised = Denoise(noisy);
        return Compare(clean, noisy, denoised, Image);
    }

    /// <summary>The report for given noisy and denoised images (also used for baselines such as a median filter).</summary>
    public static DenoisingReport Compare(Tensor clean, Tensor noisy, Tensor denoised, ImageShape shape)
    {
        int n = clean.Dim(0), size = shape.Size;
        double psnrNoisy = 0, psnrDenoised = 0, mseNoisy = 0, mseDenoised = 0, ssimNoisy = 0, ssimDenoised = 0;
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<float> c = clean.Span.Slice(i * size, size), x = noisy.Span.Slice(i * size, size), y = denoised.Span.Slice(i * size, size);
            double a = ImageMetrics.MeanSquaredError(c, x), b = ImageMetrics.MeanSquaredError(c, y);
            mseNoisy += a;
            mseDenoised += b;
            psnrNoisy += Math.Min(100, -10 * Math.Log10(a));   // identical images count as 100 dB, not infinity
            psnrDenoised += Math.Min(100, -10 * Math.Log10(b));
            ssimNoisy += ImageMetrics.Ssim(c, x, shape);
            ssimDenoised += ImageMetrics.Ssim(c, y, shape);
        }
        return new DenoisingReport(n, psnrNoisy / n, psnrDenoised / n, -10 * Math.Log10(mseNoisy / n), -10 * Math.Log10(mseDenoised / n),
            ssimNoisy / n, ssimDenoised / n);
    }

    private static ConvAutoencoder CreateModel(ImageShape shape, DenoiserOptions options)
    {
        if (shape.Channels < 1 || shape.Height < 1 || shape.Width < 1)
            throw new ArgumentException($"The image shape must be positive; got {shape.Channels}×{shape.Height}×{shape.Width}.");
        ConvAutoencoderConfig config = options.Model is { } m
            ? m with { Channels = shape.Channels, Height = shape.Height, Width = shape.Width }
            : new ConvAutoencoderConfig { Channels = shape.Channels, Height = shape.Height, Width = shape.Width, Seed = options.Training.Seed };
        return new ConvAutoencoder(config) { Data = new DataDescription(shape) };
    }

    private void Train(Tensor rows, FitOptions options, IProgress<TrainingProgress>? progress, CancellationToken cancel)
    {
        try
        {
            History = Trainer.Fit(this, rows, options, progress, cancel);
        }
        finally
        {
            _noisy?.Dispose();
            _clean?.Dispose();
            _noisy = _clean = _targets = null;
        }
    }

    Tensor ITrainable.Loss(Tensor batch, ReadOnlySpan<int> rows, Rng rng)
    {
        if (_targets is null) return ((ITrainable)this).Loss(batch, rng);
        _clean?.Dispose();   // the previous step's graph is gone: nothing refers to it any more
        _clean = Trainer.SelectRows(_targets, rows);
        return Model.Loss(batch, _clean);
    }

    Tensor ITrainable.Loss(Tensor batch, Rng rng)
    {
        int size = Image.Size;
        if (_noisy is null || _noisy.Dim(0) != batch.Dim(0))
        {
            _noisy?.Dispose();   // the previous step's graph is gone: nothing refers to the old buffer
            _noisy = Tensor.Zeros(batch.Dim(0), size);
        }
        batch.Span.CopyTo(_noisy.Span);
        Noise!.Apply(_noisy.Span, rng);
        return Model.Loss(_noisy, batch);
    }
}
