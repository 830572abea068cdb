using System.Diagnostics;
using Latent.Data;
using Latent.Engine;
using Latent.Imaging;
using Latent.Models;
using Latent.Reporting;
using Latent.Training;

namespace Latent.Applications.Compression;

/// <summary>
/// Compresses images into <c>.lat</c> files with learned transforms: one <see cref="ImageCodecModel"/> per quality (a
/// scale-hyperprior codec trained for its own λ), our own range coder, and a small container that names the codec by its
/// fingerprint and checks its content by CRC-32C (<see cref="LatContainer"/>). Any image size works: the codec pads to
/// whole latent positions and crops back. Decoding is exact integer arithmetic up to the synthesis transform (the scales
/// that choose the tables come from a fixed-order double-precision pass), so a file decodes to the same image on every
/// run and thread count.
/// </summary>
/// <example>
/// <code>
/// var codec = ImageCodec.Fit(photos);                        // Rasters: gray or RGB, any sizes
/// byte[] lat = codec.Compress(photo, quality: 2);
/// Raster back = codec.Decompress(lat);
/// codec.Save("codec.safetensors");
/// </code>
/// </example>
[ModelKind("image-codec", "an image codec")]
public sealed class ImageCodec : ISavedModel
{
    private const string TablesKey = "tables", LadderTablesKey = "scale_tables", LadderThresholdsKey = "scale_thresholds";

    private readonly ImageCodecModel[] _models;
    private readonly Settings _settings;
    private readonly Lazy<byte[]> _fingerprint;

    /// <summary>What a codec file stores besides the weights.</summary>
    internal sealed record Settings(ImageCodecConfig Model, float[] Lambdas, int CropSize);

    private ImageCodec(Settings settings, ImageCodecModel[] models)
    {
        _settings = settings;
        _models = models;
        _fingerprint = new Lazy<byte[]>(() => LatContainer.FingerprintOf(ModelFingerprint.Of(this)));
    }

    /// <summary>Number of qualities: 1 (fewest bits) to this.</summary>
    public int Qualities => _models.Length;

    /// <summary>The λ of each quality, lowest first.</summary>
    public IReadOnlyList<float> Lambdas => _settings.Lambdas;

    /// <summary>The architecture shared by the qualities.</summary>
    public ImageCodecConfig Config => _settings.Model;

    /// <summary>The model of <paramref name="quality"/> (1-based).</summary>
    public ImageCodecModel Model(int quality) => _models[CheckQuality(quality) - 1];

    /// <summary>Trains one model per λ of the options on random crops of gray or RGB images of any sizes.</summary>
    /// <exception cref="ArgumentException">No images, images with alpha, or invalid options.</exception>
    public static ImageCodec Fit(IReadOnlyList<Raster> images, ImageCodecOptions? options = null, IProgress<TrainingProgress>? progress = null,
        CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(images);
        options ??= new ImageCodecOptions();
        options.Validate();
        if (images.Count == 0) throw new ArgumentException("An image codec needs at least one image to learn from.");
        foreach (Raster image in images) CodecPixels.Check(image);
        ImageCodecConfig config = options.Model ?? new ImageCodecConfig { Seed = options.Training.Seed };
        using Tensor crops = TrainingCrops.Sample(images, options.CropSize, options.CropCoverage, new Rng(options.Training.Seed ^ 0xC0DEC));
        var models = new ImageCodecModel[options.Lambdas.Length];
        for (int q = 0; q < models.Length; q++)
        {
            cancel.ThrowIfCancellationRequested();
            var model = new ImageCodecModel(config, options.Lambdas[q]);
            FitOptions training = options.Training;
            if (q > 0 && options.FineTuneEpochs is { } epochs)
            {
                model.CopyWeightsFrom(models[q - 1]);
                training = training with { Epochs = epochs };
            }
            string stage = $"quality {q + 1} of {models.Length}";
            model.Fit(crops, options.CropSize, training, StagedProgress.Named(progress, stage), cancel);
            models[q] = model;
        }
        cancel.ThrowIfCancellationRequested();
        return new ImageCodec(new Settings(config, [.. options.Lambdas], options.CropSize), models);
    }

    /// <summary>Trains on a data set of images (a PNG folder, CIFAR-10): its rows as 8-bit images.</summary>
    /// <exception cref="ArgumentException">The data set has no image shape, or its images are neither gray nor RGB.</exception>
    public static ImageCodec Fit(Dataset data, ImageCodecOptions? options = null, IProgress<TrainingProgress>? progress = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ImageShape shape = data.Image ?? throw new ArgumentException($"{data.Name} holds rows, not images; an image codec learns from images.");
        return Fit(RastersOf(data.Features, shape), options, progress, cancel);
    }

    /// <summary>Rows of channel-first images in [0, 1] as 8-bit images (1 or 3 channels).</summary>
    /// <exception cref="ArgumentException">Neither gray nor RGB, or rows that do not fit the shape.</exception>
    public static IReadOnlyList<Raster> RastersOf(Tensor rows, ImageShape shape)
    {
        if (shape.Channels is not (1 or 3)) throw new ArgumentException($"The codec compresses gray or RGB images, not images of {Counted.Of(shape.Channels, "channel")}.");
        RowChecks.Rows(rows, shape.Size, "RastersOf");
        RowChecks.Finite(rows);
        int plane = shape.Height * shape.Width;
        var rasters = new Raster[rows.Dim(0)];
        for (int i = 0; i < rasters.Length; i++)
        {
            ReadOnlySpan<float> row = rows.Span.Slice(i * shape.Size, shape.Size);
            var pixels = new byte[shape.Size];
            for (int p = 0; p < plane; p++)
                for (int c = 0; c < shape.Channels; c++) pixels[p * shape.Channels + c] = (byte)Math.Clamp(MathF.Round(row[c * plane + p] * 255), 0, 255);
            rasters[i] = new Raster(pixels, shape.Width, shape.Height, shape.Channels == 1 ? PngColor.Gray : PngColor.Rgb);
        }
        return rasters;
    }

    /// <summary>Reads a PNG file as the codec takes it: 8 bits, gray or RGB (alpha dropped; 16-bit samples rounded).</summary>
    /// <exception cref="InvalidDataException">Not a readable PNG file.</exception>
    public static Raster ReadPng(string path)
    {
        PngImage png = PngReader.Read(path);
        int channels = png.Channels <= 2 ? 1 : 3;
        float[] planes = png.ToFloats(channels);
        using Tensor row = Tensor.FromArray(planes, 1, planes.Length);
        return RastersOf(row, new ImageShape(channels, png.Height, png.Width))[0];
    }

    /// <summary>The <c>.lat</c> file of a gray or RGB image at <paramref name="quality"/> (1 to <see cref="Qualities"/>). Thread-safe.</summary>
    /// <exception cref="ArgumentException">An image with alpha, or a quality the codec does not have.</exception>
    public byte[] Compress(Raster image, int quality)
    {
        CodecPixels.Check(image);
        ImageCodecModel model = Model(quality);
        using Tensor padded = CodecPixels.ToPaddedTensor(image, Config.Alignment);
        byte[] payload = model.Encode(padded);
        int channels = image.Color == PngColor.Gray ? 1 : 3;
        return new LatContainer(image.Width, image.Height, quality, channels, _fingerprint.Value, payload).ToBytes();
    }

    /// <summary>The image in a <c>.lat</c> file's bytes (gray or RGB, as compressed). Thread-safe.</summary>
    /// <exception cref="InvalidDataException">Not a .lat file, a damaged or truncated one, or one made by another codec.</exception>
    public Raster Decompress(ReadOnlySpan<byte> bytes) => Decompress(bytes, "the data");

    /// <summary>The image in a <c>.lat</c> file.</summary>
    /// <exception cref="InvalidDataException">Not a .lat file, a damaged or truncated one, or one made by another codec.</exception>
    public Raster DecompressFile(string path) => Decompress(File.ReadAllBytes(path), $"'{path}'");

    private Raster Decompress(ReadOnlySpan<byte> bytes, string name)
    {
        LatContainer container = LatContainer.Parse(bytes, name);
        if (!container.Fingerprint.AsSpan().SequenceEqual(_fingerprint.Value))
            throw new InvalidDataException($"{LatContainer.Capitalised(name)} was compressed by another codec (fingerprint {Convert.ToHexStringLower(container.Fingerprint)}, "
                + $"this one is {Convert.ToHexStringLower(_fingerprint.Value)}); decompress it with the codec that made it.");
        if (container.Quality > Qualities)
            throw new InvalidDataException($"{LatContainer.Capitalised(name)} has quality {container.Quality}, which this codec does not have.");
        ImageCodecModel model = _models[container.Quality - 1];
        long height = CodecPixels.Padded(container.Height, Config.Alignment) / ImageCodecConfig.Stride;
        long width = CodecPixels.Padded(container.Width, Config.Alignment) / ImageCodecConfig.Stride;
        if (height * width * Math.Max(Config.LatentChannels, Config.Filters) > 1L << 28)
            throw new InvalidDataException($"{LatContainer.Capitalised(name)} claims an image of {container.Width}×{container.Height} pixels, too large to decode.");
        using Tensor image = model.Decode(container.Payload, (int)height, (int)width);
        return CodecPixels.ToRaster(image, container.Height, container.Width, container.Channels);
    }

    /// <summary>
    /// Compresses and decompresses every image at every quality: the rate–distortion curve (bits per pixel of the whole
    /// file, PSNR of the 8-bit result) and the time each way.
    /// </summary>
    /// <exception cref="ArgumentException">No images, or images with alpha.</exception>
    public CompressionReport Evaluate(IReadOnlyList<Raster> images, IProgress<int>? progress = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.Count == 0) throw new ArgumentException("Evaluation needs at least one image.");
        foreach (Raster image in images) CodecPixels.Check(image);
        var results = new List<QualityResult>();
        int done = 0;
        for (int q = 1; q <= Qualities; q++)
        {
            var bpp = new double[images.Count];
            var psnr = new double[images.Count];
            double encode = 0, decode = 0;
            for (int i = 0; i < images.Count; i++)
            {
                cancel.ThrowIfCancellationRequested();
                var clock = Stopwatch.StartNew();
                byte[] file = Compress(images[i], q);
                encode += clock.Elapsed.TotalMilliseconds;
                clock.Restart();
                Raster back = Decompress(file);
                decode += clock.Elapsed.TotalMilliseconds;
                bpp[i] = 8.0 * file.Length / ((double)images[i].Width * images[i].Height);
                psnr[i] = Psnr(images[i].Pixels, back.Pixels);
                progress?.Report(++done);
            }
            results.Add(new QualityResult(q, Lambdas[q - 1], bpp.Average(), psnr.Average(), encode / images.Count, decode / images.Count, bpp, psnr));
        }
        return new CompressionReport(images.Count, results);
    }

    /// <summary>10·log₁₀(255² / MSE) over all samples of two 8-bit images (capped at 100 dB for identical ones).</summary>
    public static double Psnr(ReadOnlySpan<byte> reference, ReadOnlySpan<byte> test)
    {
        if (reference.Length != test.Length) throw new ArgumentException($"PSNR compares images of the same size; got {reference.Length} and {test.Length} samples.");
        double sum = 0;
        for (int i = 0; i < reference.Length; i++)
        {
            double d = reference[i] - test[i];
            sum += d * d;
        }
        return sum == 0 ? 100 : 10 * Math.Log10(255.0 * 255.0 * reference.Length / sum);
    }

    private static (SymbolTable[], float[]) ReadLadder(Latent.Storage.SafeTensorsContent content, string path)
    {
        if (!content.Tensors.TryGetValue(LadderTablesKey, out Tensor? tables) || !content.Tensors.TryGetValue(LadderThresholdsKey, out Tensor? thresholds))
            throw new InvalidDataException($"'{path}' lacks the hyperprior's coding tables.");
        float[] values = thresholds.ToArray();
        if (thresholds.Rank != 1 || values.Length != ScaleLadder.Count - 1 || values.Zip(values.Skip(1)).Any(p => !(p.First < p.Second)))
            throw new InvalidDataException($"'{path}' has damaged hyperprior thresholds.");
        return (CodingTables.FromTensor(tables, ScaleLadder.Count, path, "hyperprior scale"), values);
    }

    private int CheckQuality(int quality) => quality >= 1 && quality <= Qualities ? quality
        : throw new ArgumentException($"The quality must be between 1 and {Qualities} for this codec, not {quality}.");

    // ------------------------------------------------------------------ files

    /// <summary>Writes the codec (every quality's weights, density and coding tables) to a safetensors file, atomically.</summary>
    public void Save(string path) => ModelFile.Save(path, ((ISavedModel)this).Content());

    ModelContent ISavedModel.Content()
    {
        var tensors = new List<(string, Tensor)>();
        for (int q = 0; q < _models.Length; q++)
        {
            string prefix = $"q{q + 1}.";
            tensors.AddRange(_models[q].Network.NamedTensors().Select(t => (prefix + t.Name, t.Tensor)));
            tensors.Add((prefix + TablesKey, CodingTables.ToTensor(_models[q].Tables!)));
        }
        // The hyperprior's ladder is the same for every quality: saved once.
        if (_models[0].Ladder is var (ladder, thresholds))
        {
            tensors.Add((LadderTablesKey, CodingTables.ToTensor(ladder)));
            tensors.Add((LadderThresholdsKey, Tensor.FromArray(thresholds, thresholds.Length)));
        }
        return ModelFile.Content(this, _settings, tensors, _models[^1].History, scaler: null, data: null);
    }

    /// <summary>Reads a codec saved by <see cref="Save"/>; refuses other files with a clear message.</summary>
    /// <exception cref="InvalidDataException">Not an image codec file, or a damaged one.</exception>
    public static ImageCodec Open(string path)
    {
        var (content, settings) = ModelFile.Read<ImageCodec, Settings>(path, s =>
        {
            if (s.Model is null || s.Lambdas is null || s.Lambdas.Length is < 1 or > 255) throw new ArgumentException("no model");
            s.Model.Validate();
        });
        var models = new ImageCodecModel[settings.Lambdas.Length];
        for (int q = 0; q < models.Length; q++)
        {
            string prefix = $"q{q + 1}.";
            var model = new ImageCodecModel(settings.Model, settings.Lambdas[q]);
            var own = content.Tensors.Where(t => t.Key.StartsWith(prefix, StringComparison.Ordinal) && t.Key != prefix + TablesKey)
                .ToDictionary(t => t.Key[prefix.Length..], t => t.Value);
            if (settings.Model.Hyperprior && !own.Keys.Any(k => k.StartsWith("hyper_", StringComparison.Ordinal)))
                throw new InvalidDataException($"'{path}' is a codec saved before Latent's codecs had a hyperprior; train it again.");
            ModelFile.AssignTensors(path, model.Network, own);
            if (!content.Tensors.TryGetValue(prefix + TablesKey, out Tensor? tables))
                throw new InvalidDataException($"'{path}' lacks the coding tables of quality {q + 1}.");
            model.Tables = CodingTables.FromTensor(tables, settings.Model.FactorisedChannels, path);
            models[q] = model;
        }
        if (settings.Model.Hyperprior)
        {
            var ladder = ReadLadder(content, path);
            foreach (ImageCodecModel model in models) model.Ladder = ladder;
        }
        string? unexpected = content.Tensors.Keys.FirstOrDefault(k => !(settings.Model.Hyperprior && k is (LadderTablesKey or LadderThresholdsKey)) &&
            !Enumerable.Range(1, models.Length).Any(q => k.StartsWith($"q{q}.", StringComparison.Ordinal)));
        if (unexpected is not null) throw new InvalidDataException($"'{path}' has an unexpected tensor '{unexpected}'.");
        return new ImageCodec(settings, models);
    }
}
