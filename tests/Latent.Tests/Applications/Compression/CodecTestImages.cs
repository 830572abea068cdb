using Latent.Applications.Compression;
using Latent.Imaging;
using Latent.Models;
using Latent.Training;

namespace Latent.Tests.Applications.Compression;

/// <summary>Small synthetic photographs (smooth colour gradients with a disc) and a tiny codec that trains on them in seconds.</summary>
internal static class CodecTestImages
{
    public static Raster Image(int width, int height, int seed, PngColor color = PngColor.Rgb)
    {
        int channels = color == PngColor.Gray ? 1 : 3;
        var pixels = new byte[width * height * channels];
        double cx = width * (0.3 + 0.1 * (seed % 4)), cy = height * (0.4 + 0.1 * (seed % 3)), radius = Math.Max(2, Math.Min(width, height) / 4.0);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                for (int c = 0; c < channels; c++)
                {
                    double v = 0.5 + 0.4 * Math.Sin((x * (c + 1) + y * (seed + 2)) * 0.07 + seed);
                    if ((x - cx) * (x - cx) + (y - cy) * (y - cy) < radius * radius) v = 0.2 + 0.3 * c;
                    pixels[(y * width + x) * channels + c] = (byte)Math.Round(255 * Math.Clamp(v, 0, 1));
                }
        return new Raster(pixels, width, height, color);
    }

    public static IReadOnlyList<Raster> Training { get; } = [.. Enumerable.Range(0, 6).Select(i => Image(40 + 8 * i, 36, i))];

    public static ImageCodecOptions Small(ulong seed, int epochs = 2) => new()
    {
        Lambdas = [0.005f, 0.05f],
        Model = new ImageCodecConfig { Filters = 12, LatentChannels = 8, Seed = seed },
        CropSize = 64,
        CropCoverage = 40,
        FineTuneEpochs = null,
        Training = new FitOptions { Epochs = epochs, BatchSize = 8, LearningRate = 3e-3f, Seed = seed },
    };

    private static readonly Lazy<ImageCodec> Trained = new(() => ImageCodec.Fit(Training, Small(1, epochs: 4)));

    /// <summary>One codec trained once for the tests that only use it.</summary>
    public static ImageCodec Codec => Trained.Value;
}
