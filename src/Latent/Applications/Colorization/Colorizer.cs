using Latent.Data;
using Latent.Engine;
using Latent.Engine.Losses;
using Latent.Engine.Nn;
using Latent.Imaging;
using Latent.Models;
using Latent.Reporting;
using Latent.Training;

namespace Latent.Applications.Colorization;

/// <summary>
/// Colours grayscale images: a <see cref="UNet"/> learns from colour images to predict each pixel's chroma (a, b of CIE
/// Lab) from its lightness L, by regression or by classification over quantised colours (see
/// <see cref="ColorizationLoss"/>). The lightness of the input is kept exactly; only colour is added. Images of any size
/// are colourised in overlapping tiles blended without seams. Images are channel-first floats in [0, 1], as rows.
/// </summary>
/// <example>
/// <code>
/// Dataset photos = Cifar10File.Read("data_batch_1.bin");
/// var colorizer = Colorizer.Fit(photos.Features, photos.Image!.Value);
/// float[] rgb = colorizer.Colorize(grayPixels, ImageShape.Gray(480, 640));   // 3 × 480 × 640 values
/// colorizer.Save("colorizer.safetensors");
/// </code>
/// </example>
[ModelKind("colorizer", "a colorizer")]
public sealed class Colorizer : ITrainable, ISavedModel
{
    private const string BinsKey = "bins.centres", WeightsKey = "bins.weights", NetworkPrefix = "unet.";
    private const int Batch = 64;   // images per pass when colourising many small images

    private readonly Settings _settings;
    private readonly AbBins? _bins;
    private readonly float[]? _binWeights;   // rebalancing weight of each bin (classification)
    private ImageShape _trainShape;
    private int _neighbours = 5;
    private float _sigma = 5;
    private bool _mirror;
    private Tensor? _targets, _pixelWeights;   // reused per-batch buffers (classification)

    /// <summary>What a colorizer file stores besides the weights.</summary>
    /// <remarks>Files written before <see cref="Saturation"/> existed read as 1 (the prediction unchanged).</remarks>
    internal sealed record Settings(ColorizationLoss Loss, UNetConfig Model, int GridSize, float Temperature, int TileSize, int TileOverlap, float Saturation = 1);

    private Colorizer(Settings settings, UNet network, AbBins? bins, float[]? binWeights)
    {
        _settings = settings;
        Network = network;
        _bins = bins;
        _binWeights = binWeights;
    }

    /// <summary>The trained network (1 channel in; 2 or one per colour bin out).</summary>
    public UNet Network { get; }

    /// <summary>Regression or classification.</summary>
    public ColorizationLoss Loss => _settings.Loss;

    /// <summary>Number of colour bins (classification), or 0.</summary>
    public int Bins => _bins?.Count ?? 0;

    /// <summary>The history of training, or null for an opened colorizer.</summary>
    public History? History { get; private set; }

    Module ITrainable.Network => Network.Network;

    /// <summary>Trains on colour images: rows of 3 × height × width values in [0, 1] (channel-first RGB).</summary>
    /// <exception cref="ArgumentException">Rows that do not match the shape, a shape that is not RGB, non-finite values, or invalid options.</exception>
    public static Colorizer Fit(Tensor rgb, ImageShape shape, ColorizerOptions? options = null, IProgress<TrainingProgress>? progress = null,
        CancellationToken cancel = default)
    {
        options ??= new ColorizerOptions();
        options.Validate();
        if (shape.Channels != 3 || shape.Height < 1 || shape.Width < 1)
            throw new ArgumentException($"A colorizer learns from colour (RGB) images; got images of {Counted.Of(shape.Channels, "channel")}.");
        RowChecks.Rows(rgb, shape.Size, "Colorizer.Fit");
        RowChecks.Finite(rgb);
        int pixels = shape.Height * shape.Width, n = rgb.Dim(0);
        using Tensor lab = Tensor.Zeros(n, shape.Size);
        Parallel.For(0, n, i => LabImages.ToScaledLab(rgb.Span.Slice(i * shape.Size, shape.Size), pixels, lab.Span.Slice(i * shape.Size, shape.Size)));

        AbBins? bins = options.Loss == ColorizationLoss.Classification ? AbBins.InGamut(options.GridSize) : null;
        float[]? weights = bins is null ? null : bins.RebalancingWeights(NearestBinCounts(bins, lab, pixels), options.Rebalancing, options.Sigma);
        UNetConfig config = (options.Model ?? new UNetConfig { Seed = options.Training.Seed }) with { InChannels = 1, OutChannels = bins?.Count ?? 2 };
        if (bins is not null && options.Model?.HeadKernelSize is null) config = config with { HeadKernelSize = 1 };
        var settings = new Settings(options.Loss, config, options.GridSize, options.Temperature, options.TileSize, options.TileOverlap, options.Saturation);
        var colorizer = new Colorizer(settings, new UNet(config), bins, weights)
        {
            _trainShape = shape, _neighbours = options.Neighbours, _sigma = options.Sigma, _mirror = options.Mirror,
        };
        FitOptions training = options.Shift > 0 && options.Training.Shift is null
            ? options.Training with { Shift = new RandomShift(shape, options.Shift) }
            : options.Training;
        try
        {
            colorizer.History = Trainer.Fit(colorizer, lab, training, progress, cancel);
        }
        finally
        {
            colorizer._targets?.Dispose();
            colorizer._pixelWeights?.Dispose();
            (colorizer._targets, colorizer._pixelWeights) = (null, null);
        }
        return colorizer;
    }

    /// <summary>Trains on a data set of colour images (an RGB PNG folder, CIFAR-10).</summary>
    /// <exception cref="ArgumentException">The data set has no image shape or is not RGB.</exception>
    public static Colorizer Fit(Dataset data, ColorizerOptions? options = null, IProgress<TrainingProgress>? progress = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ImageShape shape = data.Image ?? throw new ArgumentException($"{data.Name} holds rows, not images; a colorizer learns from colour images.");
        return Fit(data.Features, shape, options, progress, cancel);
    }

    /// <summary>How many training pixels have each bin as their nearest: the empirical colour distribution for rebalancing.</summary>
    private static long[] NearestBinCounts(AbBins bins, Tensor lab, int pixels)
    {
        var counts = new long[bins.Count];
        ReadOnlySpan<float> values = lab.Span;
        int size = 3 * pixels;
        for (int i = 0; i < lab.Dim(0); i++)
            for (int p = 0; p < pixels; p++)
                counts[bins.Nearest(values[i * size + pixels + p] * LabImages.ChromaScale, values[i * size + 2 * pixels + p] * LabImages.ChromaScale)]++;
        return counts;
    }

    Tensor ITrainable.Loss(Tensor batch, Rng rng)
    {
        int n = batch.Dim(0), h = _trainShape.Height, w = _trainShape.Width, pixels = h * w;
        if (_mirror && Network.Network.IsTraining) ImageMirror.RandomHalf(batch, _trainShape, rng);   // not the validation rows
        Tensor lightness = Ops.Slice(batch, 1, 0, pixels).Reshape(n, 1, h, w);
        Tensor output = Network.Forward(lightness);
        if (_bins is null) return Engine.Losses.Loss.Mse(output, Ops.Slice(batch, 1, pixels, 2 * pixels).Reshape(n, 2, h, w));

        if (_targets is null || _targets.Dim(0) != n)
        {
            _targets?.Dispose();   // the previous step's graph is gone: nothing refers to the old buffers
            _pixelWeights?.Dispose();
            _targets = Tensor.Zeros(n, _bins.Count, h, w);
            _pixelWeights = Tensor.Zeros(n, h, w);
        }
        Tensor targets = _targets, weights = _pixelWeights!;
        Parallel.For(0, n, i =>
        {
            var ab = new float[2 * pixels];
            var nearest = new int[pixels];
            ReadOnlySpan<float> row = batch.Span.Slice(i * 3 * pixels + pixels, 2 * pixels);
            for (int p = 0; p < ab.Length; p++) ab[p] = row[p] * LabImages.ChromaScale;
            _bins.SoftEncode(ab, pixels, _neighbours, _sigma, targets.Span.Slice(i * _bins.Count * pixels, _bins.Count * pixels), nearest);
            Span<float> pixelWeights = weights.Span.Slice(i * pixels, pixels);
            for (int p = 0; p < pixels; p++) pixelWeights[p] = _binWeights![nearest[p]];
        });
        return PixelLoss.CrossEntropy(output, targets, weights);
    }

    /// <summary>Tile size and overlap for colourising large images.</summary>
    public (int Size, int Overlap) Tiles => (_settings.TileSize, _settings.TileOverlap);

    /// <summary>The same colorizer (sharing its network) colourising large images in tiles of another size or overlap.</summary>
    /// <exception cref="ArgumentException">A tile smaller than 8 pixels, or an overlap of half the tile or more.</exception>
    public Colorizer WithTiles(int size, int overlap)
    {
        ColorizerOptions.ValidateTiles(size, overlap);
        return new Colorizer(_settings with { TileSize = size, TileOverlap = overlap }, Network, _bins, _binWeights) { History = History };
    }

    /// <summary>T of the annealed mean that turns predicted bins into a colour (classification).</summary>
    public float Temperature => _settings.Temperature;

    /// <summary>
    /// The same colorizer (sharing its network) decoding colours at another temperature: lower is more vivid, higher is
    /// closer to the mean colour (better PSNR, more muted); no retraining needed.
    /// </summary>
    /// <exception cref="ArgumentException">A temperature that is not a positive number.</exception>
    public Colorizer WithTemperature(float temperature)
    {
        if (!(temperature > 0) || !float.IsFinite(temperature)) throw new ArgumentException($"The temperature must be a positive number, not {temperature}.");
        return new Colorizer(_settings with { Temperature = temperature }, Network, _bins, _binWeights) { History = History };
    }

    /// <summary>
    /// The factor the predicted (a, b) are multiplied by before they are recombined with the lightness: above 1 offsets
    /// the pull towards muted average colours of a colorizer that is unsure (see <see cref="ColorizerOptions.Saturation"/>).
    /// </summary>
    public float Saturation => _settings.Saturation;

    /// <summary>The same colorizer (sharing its network) with its predicted colours scaled by another factor; no retraining needed.</summary>
    /// <exception cref="ArgumentException">A factor that is negative or not finite.</exception>
    public Colorizer WithSaturation(float saturation)
    {
        ColorizerOptions.ValidateSaturation(saturation);
        return new Colorizer(_settings with { Saturation = saturation }, Network, _bins, _binWeights) { History = History };
    }

    /// <summary>
    /// A colour version of one image: channel-first floats of <paramref name="shape"/>, gray (1 channel) or colour (3: only
    /// its lightness is used). Returns 3 planes of height × width values in [0, 1] whose lightness is the input's.
    /// </summary>
    /// <exception cref="ArgumentException">The values do not match the shape, the shape has other than 1 or 3 channels, or a value is not finite.</exception>
    public float[] Colorize(ReadOnlySpan<float> image, ImageShape shape)
    {
        CheckShape(shape);
        if (image.Length != shape.Size)
            throw new ArgumentException($"The image has {image.Length} values; a {shape.Channels}×{shape.Height}×{shape.Width} image has {shape.Size}.");
        for (int i = 0; i < image.Length; i++)
            if (!float.IsFinite(image[i])) throw new ArgumentException($"The image's value {i} is {image[i]}; colourising needs finite values.");
        int pixels = shape.Height * shape.Width;
        var lightness = new float[pixels];
        LabImages.Lightness(image, shape.Channels, pixels, lightness);
        float[] ab = PredictTiled(lightness, shape.Height, shape.Width);
        var rgb = new float[3 * pixels];
        LabImages.ToRgb(lightness, ab, pixels, rgb);
        return rgb;
    }

    /// <summary>
    /// Colour versions of many images of one shape: rows [n, channels × height × width] (1 or 3 channels) in, rows
    /// [n, 3 × height × width] in [0, 1] out. Thread-safe; the input is not changed.
    /// </summary>
    /// <exception cref="ArgumentException">The rows do not match the shape, or it has other than 1 or 3 channels.</exception>
    public Tensor Colorize(Tensor images, ImageShape shape, CancellationToken cancel = default)
    {
        CheckShape(shape);
        RowChecks.Rows(images, shape.Size, "Colorize");
        RowChecks.Finite(images);
        int n = images.Dim(0), pixels = shape.Height * shape.Width;
        var result = Tensor.Zeros(n, 3 * pixels);
        bool fits = shape.Height <= _settings.TileSize && shape.Width <= _settings.TileSize;
        for (int start = 0; start < n; start += fits ? Batch : 1)
        {
            cancel.ThrowIfCancellationRequested();
            int count = Math.Min(fits ? Batch : 1, n - start);
            var lightness = new float[count * pixels];
            for (int i = 0; i < count; i++)
                LabImages.Lightness(images.Span.Slice((start + i) * shape.Size, shape.Size), shape.Channels, pixels, lightness.AsSpan(i * pixels, pixels));
            float[] ab = fits ? PredictAb(lightness, count, shape.Height, shape.Width) : PredictTiled(lightness, shape.Height, shape.Width);
            for (int i = 0; i < count; i++)
                LabImages.ToRgb(lightness.AsSpan(i * pixels, pixels), ab.AsSpan(i * 2 * pixels, 2 * pixels), pixels,
                    result.Span.Slice((start + i) * 3 * pixels, 3 * pixels));
        }
        return result;
    }

    /// <summary>
    /// Scores the colorizer on colour images (rows of 3 × height × width in [0, 1]): each is reduced to its lightness,
    /// colourised, rounded to 8 bits and compared with the original; the grayscale baseline likewise.
    /// </summary>
    public ColorizationReport Evaluate(Tensor rgb, ImageShape shape, CancellationToken cancel = default)
    {
        if (shape.Channels != 3) throw new ArgumentException($"Evaluation needs the colour originals; got images of {Counted.Of(shape.Channels, "channel")}.");
        using Tensor colourised = Colorize(rgb, shape, cancel);
        using Tensor gray = GrayBaseline(rgb, shape);
        return Compare(rgb, colourised, gray, shape);
    }

    /// <summary>The grayscale baseline of colour images: their lightness with a = b = 0, as 8-bit RGB rows.</summary>
    public static Tensor GrayBaseline(Tensor rgb, ImageShape shape)
    {
        RowChecks.Rows(rgb, shape.Size, "GrayBaseline");
        int n = rgb.Dim(0), pixels = shape.Height * shape.Width;
        var result = Tensor.Zeros(n, 3 * pixels);
        Parallel.For(0, n, i =>
        {
            var lightness = new float[pixels];
            LabImages.Lightness(rgb.Span.Slice(i * shape.Size, shape.Size), 3, pixels, lightness);
            Span<float> row = result.Span.Slice(i * 3 * pixels, 3 * pixels);
            LabImages.ToRgb(lightness, new float[2 * pixels], pixels, row);
            LabImages.RoundTo8Bits(row);
        });
        return result;
    }

    /// <summary>The report for given colourised and grayscale versions of the originals (rows of 3 × height × width).</summary>
    public static ColorizationReport Compare(Tensor truth, Tensor colourised, Tensor gray, ImageShape shape)
    {
        int n = truth.Dim(0), size = shape.Size, pixels = shape.Height * shape.Width;
        double psnr = 0, grayPsnr = 0, ssim = 0, graySsim = 0, colorfulness = 0, truthColorfulness = 0;
        var rounded = new float[size];
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<float> t = truth.Span.Slice(i * size, size), g = gray.Span.Slice(i * size, size);
            colourised.Span.Slice(i * size, size).CopyTo(rounded);
            LabImages.RoundTo8Bits(rounded);
            psnr += CappedPsnr(t, rounded);
            grayPsnr += CappedPsnr(t, g);
            ssim += ImageMetrics.Ssim(t, rounded, shape);
            graySsim += ImageMetrics.Ssim(t, g, shape);
            colorfulness += Imaging.Colorfulness.Of(rounded, pixels);
            truthColorfulness += Imaging.Colorfulness.Of(t, pixels);
        }
        return new ColorizationReport(n, psnr / n, grayPsnr / n, ssim / n, graySsim / n, colorfulness / n, truthColorfulness / n);
    }

    /// <summary>PSNR of one image, capped at 60 dB (an image that is already gray is reproduced exactly).</summary>
    private static double CappedPsnr(ReadOnlySpan<float> reference, ReadOnlySpan<float> test) =>
        Math.Min(60, ImageMetrics.Psnr(reference, test));

    private static void CheckShape(ImageShape shape)
    {
        if (shape.Channels is not (1 or 3) || shape.Height < 1 || shape.Width < 1)
            throw new ArgumentException($"A colorizer colourises gray (1 channel) or colour (3 channels) images; got a {shape.Channels}×{shape.Height}×{shape.Width} image.");
    }

    /// <summary>(a, b) in Lab units of <paramref name="count"/> images of L/100: one a plane and one b plane per image.</summary>
    private float[] PredictAb(float[] lightness, int count, int height, int width)
    {
        int pixels = height * width;
        using Tensor input = Tensor.FromArray(lightness, count, 1, height, width);
        using Tensor output = Network.Predict(input);
        var ab = new float[count * 2 * pixels];
        if (_bins is null)
        {
            ReadOnlySpan<float> o = output.Span;
            float scale = LabImages.ChromaScale * _settings.Saturation;
            for (int i = 0; i < ab.Length; i++) ab[i] = o[i] * scale;
            return ab;
        }
        int planes = _bins.Count * pixels;
        Parallel.For(0, count, i =>
            _bins.AnnealedMean(output.Span.Slice(i * planes, planes), pixels, _settings.Temperature, ab.AsSpan(i * 2 * pixels, 2 * pixels)));
        if (_settings.Saturation != 1)
            for (int i = 0; i < ab.Length; i++) ab[i] *= _settings.Saturation;
        return ab;
    }

    /// <summary>(a, b) of one image of any size, predicted in overlapping tiles and blended (see <see cref="ImageTiles"/>).</summary>
    private float[] PredictTiled(float[] lightness, int height, int width)
    {
        int tile = _settings.TileSize, overlap = _settings.TileOverlap, align = 1 << _settings.Model.Depth, pixels = height * width;
        var rows = ImageTiles.Along(height, tile, overlap, align);
        var columns = ImageTiles.Along(width, tile, overlap, align);
        if (rows.Count == 1 && columns.Count == 1) return PredictAb(lightness, 1, height, width);
        var sum = new float[2 * pixels];
        var total = new float[pixels];
        foreach (var (top, tileHeight) in rows)
        {
            float[] rowWeights = ImageTiles.Ramp(tileHeight, overlap, top > 0, top + tileHeight < height);
            foreach (var (left, tileWidth) in columns)
            {
                float[] columnWeights = ImageTiles.Ramp(tileWidth, overlap, left > 0, left + tileWidth < width);
                var part = new float[tileHeight * tileWidth];
                for (int r = 0; r < tileHeight; r++)
                    lightness.AsSpan((top + r) * width + left, tileWidth).CopyTo(part.AsSpan(r * tileWidth, tileWidth));
                float[] ab = PredictAb(part, 1, tileHeight, tileWidth);
                int tilePixels = tileHeight * tileWidth;
                for (int r = 0; r < tileHeight; r++)
                    for (int c = 0; c < tileWidth; c++)
                    {
                        float weight = rowWeights[r] * columnWeights[c];
                        int at = (top + r) * width + left + c, from = r * tileWidth + c;
                        sum[at] += weight * ab[from];
                        sum[pixels + at] += weight * ab[tilePixels + from];
                        total[at] += weight;
                    }
            }
        }
        for (int p = 0; p < pixels; p++)
        {
            sum[p] /= total[p];
            sum[pixels + p] /= total[p];
        }
        return sum;
    }

    // ------------------------------------------------------------------ files

    /// <summary>Writes the colorizer (network, colour bins and settings) to a safetensors file, atomically.</summary>
    public void Save(string path) => ModelFile.Save(path, ((ISavedModel)this).Content());

    ModelContent ISavedModel.Content()
    {
        var tensors = Network.Network.NamedTensors().Select(t => (NetworkPrefix + t.Name, t.Tensor)).ToList();
        if (_bins is not null)
        {
            tensors.Add((BinsKey, Tensor.FromArray(_bins.Centres, _bins.Count, 2)));
            tensors.Add((WeightsKey, Tensor.FromArray(_binWeights, _bins.Count)));
        }
        return ModelFile.Content(this, _settings, tensors, History, scaler: null, data: null);
    }

    /// <summary>Reads a colorizer saved by <see cref="Save"/>; refuses other files with a clear message.</summary>
    /// <exception cref="InvalidDataException">Not a colorizer file, or a damaged one.</exception>
    public static Colorizer Open(string path)
    {
        var (content, settings) = ModelFile.Read<Colorizer, Settings>(path, s =>
        {
            if (s.Model is null) throw new ArgumentException("no network");
            s.Model.Validate();
            ColorizerOptions.ValidateTiles(s.TileSize, s.TileOverlap);
            if (!(s.Temperature > 0) || !Enum.IsDefined(s.Loss)) throw new ArgumentException("bad settings");
            ColorizerOptions.ValidateSaturation(s.Saturation);
        });
        AbBins? bins = null;
        float[]? weights = null;
        if (settings.Loss == ColorizationLoss.Classification)
        {
            if (!content.Tensors.TryGetValue(BinsKey, out Tensor? centres) || !content.Tensors.TryGetValue(WeightsKey, out Tensor? w)
                || centres.Rank != 2 || centres.Dim(1) != 2 || w.Length != centres.Dim(0) || centres.Dim(0) != settings.Model.OutChannels)
                throw new InvalidDataException($"'{path}' lacks the colour bins its colorizer needs.");
            bins = AbBins.FromCentres(settings.GridSize, centres.ToArray());
            weights = w.ToArray();
        }
        var network = content.Tensors.Where(t => t.Key.StartsWith(NetworkPrefix, StringComparison.Ordinal))
            .ToDictionary(t => t.Key[NetworkPrefix.Length..], t => t.Value);
        if (content.Tensors.Keys.FirstOrDefault(k => !k.StartsWith(NetworkPrefix, StringComparison.Ordinal) && k is not (BinsKey or WeightsKey)) is { } unexpected)
            throw new InvalidDataException($"'{path}' has an unexpected tensor '{unexpected}'.");
        return new Colorizer(settings, UNet.FromTensors(path, settings.Model, network), bins, weights);
    }
}
