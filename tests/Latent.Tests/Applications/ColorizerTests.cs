using Latent.Applications.Colorization;
using Latent.Engine;
using Latent.Imaging;
using Latent.Models;
using Latent.Tests.Applications.Contract;
using Latent.Training;

namespace Latent.Tests.Applications;

public class ColorizerTests
{
    [Fact]
    public void LabRoundTripsEvery8BitColourWithin1Over255()
    {
        // Every third level of each channel (86³ colours, the extremes included), through the colorizer's own scaling.
        int[] levels = [.. Enumerable.Range(0, 86).Select(i => Math.Min(255, 3 * i))];
        int pixels = levels.Length * levels.Length;
        var rgb = new float[3 * pixels];
        var scaled = new float[3 * pixels];
        var back = new float[3 * pixels];
        float worst = 0;
        foreach (int r in levels)
        {
            for (int g = 0; g < levels.Length; g++)
                for (int b = 0; b < levels.Length; b++)
                {
                    int p = g * levels.Length + b;
                    (rgb[p], rgb[pixels + p], rgb[2 * pixels + p]) = (r / 255f, levels[g] / 255f, levels[b] / 255f);
                }
            LabImages.ToScaledLab(rgb, pixels, scaled);
            float[] ab = [.. scaled.AsSpan(pixels).ToArray().Select(v => v * LabImages.ChromaScale)];
            LabImages.ToRgb(scaled.AsSpan(0, pixels), ab, pixels, back);
            for (int i = 0; i < rgb.Length; i++) worst = Math.Max(worst, Math.Abs(rgb[i] - back[i]));
        }
        Assert.True(worst < 1 / 255f, $"largest round-trip error {worst * 255} / 255");
    }

    [Fact]
    public void TheBinsCoverTheSrgbGamutAndEncodeColoursAsDistributions()
    {
        AbBins bins = AbBins.InGamut(10);
        Assert.Equal(261, bins.Count);   // the cells of the ab plane that sRGB colours reach (Zhang et al.'s looser test keeps 313)
        var targets = new float[bins.Count * 2];
        var nearest = new int[2];
        bins.SoftEncode([0, 60, 0, -40], 2, 5, 5, targets, nearest);   // gray, and a saturated red-blue
        for (int p = 0; p < 2; p++)
        {
            float sum = 0;
            for (int q = 0; q < bins.Count; q++) sum += targets[q * 2 + p];
            Assert.Equal(1f, sum, 4);
        }
        Assert.Equal([0, 0], bins.Centres.AsSpan(2 * nearest[0], 2).ToArray());
        // The annealed mean of a confident prediction is the bin's centre; of a flat one, the mean of all centres.
        var logits = new float[bins.Count];
        logits[nearest[1]] = 50;
        var ab = new float[2];
        bins.AnnealedMean(logits, 1, 0.38f, ab);
        Assert.Equal(bins.Centres.AsSpan(2 * nearest[1], 2).ToArray(), ab);
    }

    [Fact]
    public void RebalancingFavoursRareColours()
    {
        AbBins bins = AbBins.InGamut(10);
        var counts = new long[bins.Count];
        int gray = bins.Nearest(0, 0), red = bins.Nearest(60, 40);
        counts[gray] = 1000;
        counts[red] = 10;
        float[] weights = bins.RebalancingWeights(counts, 0.5f);
        Assert.True(weights[red] > 2 * weights[gray], $"red {weights[red]}, gray {weights[gray]}");
        Assert.All(bins.RebalancingWeights(counts, 1f), w => Assert.Equal(1f, w, 4));   // λ = 1: no rebalancing
    }

    [Fact]
    public void TilesLeaveNoSeams()
    {
        // A regression colorizer whose network sees about ±10 pixels; a 90×70 image in tiles of 32 sharing 12 pixels.
        Tensor train = ColorTestImages.Squares(40, 16, 1);
        var options = ColorizerContract.Small(3, ColorizationLoss.Regression) with { TileSize = 32, TileOverlap = 12 };
        Colorizer tiled = Colorizer.Fit(train, ColorTestImages.Shape(16), options);
        Colorizer whole = tiled.WithTiles(256, 0), abutting = tiled.WithTiles(32, 0);
        float[] image = ColorTestImages.Squares(1, 90, 5).ToArray();
        var (height, width) = (90, 90);
        float[] a = tiled.Colorize(image, ImageShape.Rgb(height, width)), b = whole.Colorize(image, ImageShape.Rgb(height, width));
        float[] c = abutting.Colorize(image, ImageShape.Rgb(height, width));
        float blended = a.Zip(b).Max(p => Math.Abs(p.First - p.Second)), cut = c.Zip(b).Max(p => Math.Abs(p.First - p.Second));
        Assert.True(blended < 0.02f, $"tiled and whole differ by up to {blended}");
        Assert.True(cut > 2 * blended, $"abutting tiles differ by {cut}, blended ones by {blended}: the test cannot see seams");
    }

    [Fact]
    public void LearnsColoursThatFollowLightness()
    {
        Tensor train = ColorTestImages.Squares(200, 16, 1), test = ColorTestImages.Squares(20, 16, 2);
        foreach (ColorizationLoss loss in Enum.GetValues<ColorizationLoss>())
        {
            var options = ColorizerContract.Small(1, loss) with
            {
                Model = new UNetConfig { Widths = [8, 16], Seed = 1 },
                Training = new FitOptions { Epochs = 15, BatchSize = 20, LearningRate = 3e-3f, Seed = 1 },
            };
            ColorizationReport report = Colorizer.Fit(train, ColorTestImages.Shape(16), options).Evaluate(test, ColorTestImages.Shape(16));
            Assert.True(report.Gain > 3, $"{loss}: PSNR {report.Psnr:F2} dB vs gray {report.GrayPsnr:F2} dB");
            Assert.True(report.Ssim > report.GraySsim, $"{loss}: SSIM {report.Ssim:F3} vs gray {report.GraySsim:F3}");
            Assert.InRange(report.ColorfulnessRatio, 0.6, 1.4);
        }
    }

    [Fact]
    public void ALowerTemperatureDecodesMoreVividColours()
    {
        Tensor train = ColorTestImages.Squares(60, 12, 1), test = ColorTestImages.Squares(10, 12, 2);
        Colorizer colorizer = Colorizer.Fit(train, ColorTestImages.Shape(12), ColorizerContract.Small(2) with { Training = new FitOptions { Epochs = 4, BatchSize = 10, Seed = 2 } });
        double Vividness(float t) => colorizer.WithTemperature(t).Evaluate(test, ColorTestImages.Shape(12)).Colorfulness;
        Assert.True(Vividness(0.2f) > Vividness(1f), $"T 0.2: {Vividness(0.2f)}, T 1: {Vividness(1f)}");
        Assert.Equal(colorizer.Colorize(test, ColorTestImages.Shape(12)).ToArray(),
            colorizer.WithTemperature(colorizer.Temperature).Colorize(test, ColorTestImages.Shape(12)).ToArray());
        Assert.Throws<ArgumentException>(() => colorizer.WithTemperature(0));
    }

    [Fact]
    public void MirroringMovesLightnessAndColourTogether()
    {
        // Each plane of each image holds distinct values; a mirrored image must have every plane reversed, an unmirrored one none.
        var shape = ImageShape.Rgb(3, 5);
        using Tensor batch = Tensor.FromArray([.. Enumerable.Range(0, 200 * shape.Size).Select(i => (float)i)], 200, shape.Size);
        float[] original = batch.ToArray();
        ImageMirror.RandomHalf(batch, shape, new Rng(4));
        int mirrored = 0;
        for (int r = 0; r < 200; r++)
        {
            float[] before = original.AsSpan(r * shape.Size, shape.Size).ToArray(), after = batch.Span.Slice(r * shape.Size, shape.Size).ToArray();
            if (before.SequenceEqual(after)) continue;
            ImageMirror.Mirror(before, shape);
            Assert.Equal(before, after);
            mirrored++;
        }
        Assert.InRange(mirrored, 70, 130);
    }

    [Fact]
    public void TrainingKeepsTheWeightsOfTheBestHeldOutEpoch()
    {
        // A high learning rate on few images makes the held-out loss rise again; the colorizer must end at its best epoch,
        // exactly as one trained (on the same split and batches) for that many epochs.
        Tensor train = ColorTestImages.Squares(20, 12, 1);
        var options = ColorizerContract.Small(5, ColorizationLoss.Regression) with
        {
            Mirror = true,
            Training = new FitOptions { Epochs = 15, BatchSize = 4, LearningRate = 5e-2f, ValidationFraction = 0.2f, Seed = 5 },
        };
        Colorizer best = Colorizer.Fit(train, ColorTestImages.Shape(12), options);
        History history = best.History!;
        Assert.True(history.BestEpoch < history.Epochs.Count, $"{string.Join(" ", history.Epochs.Select(e => e.ValidationLoss))} best epoch {history.BestEpoch} of {history.Epochs.Count}: the test needs a later, worse epoch");
        Colorizer stopped = Colorizer.Fit(train, ColorTestImages.Shape(12),
            options with { Training = options.Training with { Epochs = history.BestEpoch, RestoreBestWeights = false } });
        Tensor test = ColorTestImages.Squares(5, 12, 2);
        Assert.Equal(stopped.Colorize(test, ColorTestImages.Shape(12)).ToArray(), best.Colorize(test, ColorTestImages.Shape(12)).ToArray());
    }

    [Fact]
    public void SaturationScalesThePredictedColours()
    {
        Tensor train = ColorTestImages.Squares(40, 12, 1), test = ColorTestImages.Squares(10, 12, 2);
        foreach (ColorizationLoss loss in Enum.GetValues<ColorizationLoss>())
        {
            Colorizer colorizer = Colorizer.Fit(train, ColorTestImages.Shape(12), ColorizerContract.Small(3, loss));
            Assert.Equal(1f, colorizer.Saturation);
            double Vividness(float s) => colorizer.WithSaturation(s).Evaluate(test, ColorTestImages.Shape(12)).Colorfulness;
            Assert.True(Vividness(1.5f) > 1.3 * Vividness(1f), $"{loss}: ×1.5 gives {Vividness(1.5f)}, ×1 {Vividness(1f)}");
            // A factor of 0 leaves only the lightness: the grayscale baseline.
            using Tensor none = colorizer.WithSaturation(0).Colorize(test, ColorTestImages.Shape(12));
            float[] rounded = none.ToArray();
            LabImages.RoundTo8Bits(rounded);
            Assert.Equal(Colorizer.GrayBaseline(test, ColorTestImages.Shape(12)).ToArray(), rounded);
            Assert.Throws<ArgumentException>(() => colorizer.WithSaturation(float.NaN));
        }
    }

    [Fact]
    public void ColourfulnessIsZeroForGrayAndGrowsWithSaturation()
    {
        float[] gray = [0.2f, 0.5f, 0.2f, 0.5f, 0.2f, 0.5f];
        Assert.Equal(0, Colorfulness.Of(gray, 2), 6);
        float[] muted = [0.6f, 0.5f, 0.5f, 0.4f, 0.4f, 0.5f], vivid = [1f, 0f, 0f, 1f, 0f, 0f];
        Assert.True(Colorfulness.Of(vivid, 2) > Colorfulness.Of(muted, 2));
        // Two pure reds: rg = 255, yb = 127.5 at both pixels, no spread: 0.3·√(255² + 127.5²).
        Assert.Equal(0.3 * Math.Sqrt(255 * 255 + 127.5 * 127.5), Colorfulness.Of([1f, 1f, 0f, 0f, 0f, 0f], 2), 6);
    }
}
