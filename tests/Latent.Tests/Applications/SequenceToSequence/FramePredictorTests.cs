using Latent.Applications.SequenceToSequence;
using Latent.Data;
using Latent.Engine;
using Latent.Imaging;
using Latent.Training;

namespace Latent.Tests.Applications.SequenceToSequence;

public class FramePredictorTests
{
    /// <summary>28×28 "digits": a bright bar of random length and slant on black, so the tests need no MNIST.</summary>
    internal static Tensor Glyphs(int count, ulong seed)
    {
        var rng = new Rng(seed);
        var glyphs = Tensor.Zeros(count, 28 * 28);
        for (int g = 0; g < count; g++)
        {
            int length = 8 + rng.NextInt(12), column = 10 + rng.NextInt(8);
            float slant = rng.NextFloat() - 0.5f;
            for (int r = 14 - length / 2; r < 14 + length / 2; r++)
                for (int w = 0; w < 4; w++) glyphs.Span[r * 28 + Math.Clamp(column + (int)(slant * (r - 14)) + w, 0, 27)] = 1f;
        }
        return glyphs;
    }

    [Fact]
    public void MovingDigitsBounceInsideTheFrameAndRepeatForASeed()
    {
        Tensor glyphs = Glyphs(5, 1);
        Tensor clips = MovingDigits.Generate(glyphs, clips: 3, frames: 30, size: 40, seed: 2);
        Assert.Equal([3, 30 * 1600], clips.Shape);
        Assert.Equal(clips.ToArray(), MovingDigits.Generate(glyphs, 3, 30, 40, seed: 2).ToArray());
        for (int f = 0; f < 30; f++)   // two glyphs in every frame: never lost off the edge
            Assert.InRange(clips.Span.Slice(f * 1600, 1600).ToArray().Count(v => v > 0.5f), 20, 200);
        Assert.NotEqual(clips.Span.Slice(0, 1600).ToArray(), clips.Span.Slice(1600, 1600).ToArray());   // they move
        Tensor tight = MovingDigits.Generate(glyphs, clips: 2, frames: 12, size: 28, seed: 3);   // no room to move: the digits stay put, inside
        Assert.Equal(tight.Span.Slice(0, 784).ToArray(), tight.Span.Slice(11 * 784, 784).ToArray());
        Assert.Contains("at least 28 pixels", Assert.Throws<ArgumentException>(() => MovingDigits.Generate(glyphs, 1, size: 20)).Message);
    }

    /// <summary>28×28 textured discs: unlike a bar, a texture shows which way it moved along every axis.</summary>
    private static Tensor Blobs(int count, ulong seed)
    {
        var rng = new Rng(seed);
        var blobs = Tensor.Zeros(count, 28 * 28);
        for (int g = 0; g < count; g++)
        {
            float radius = 6 + 6 * rng.NextFloat();
            for (int r = 0; r < 28; r++)
                for (int c = 0; c < 28; c++)
                    if ((r - 13.5f) * (r - 13.5f) + (c - 13.5f) * (c - 13.5f) < radius * radius) blobs.Span[g * 784 + r * 28 + c] = rng.NextFloat();
        }
        return blobs;
    }

    [Fact]
    public void PredictsTheNextFramesBetterThanRepeatingTheLastOne()
    {
        Tensor clips = MovingDigits.Generate(Blobs(50, 3), clips: 600, frames: 8, size: 40, seed: 4);
        Tensor test = MovingDigits.Generate(Blobs(20, 5), clips: 40, frames: 8, size: 40, seed: 6);
        var options = new FramePredictorOptions
        {
            InputFrames = 4, OutputFrames = 4, CodeSize = 64, Hidden = 64,
            Training = new FitOptions { Epochs = 6, BatchSize = 16, LearningRate = 2e-3f, ValidationFraction = 0, Seed = 7 },
        };
        var sw = System.Diagnostics.Stopwatch.StartNew();
        FramePredictor predictor = FramePredictor.Fit(clips, ImageShape.Gray(40, 40), options);
        FramePredictionReport report = predictor.Evaluate(test);
        Console.WriteLine($"{sw.Elapsed.TotalSeconds:F1}s mse {string.Join(" ", report.Mse.Select(m => m.ToString("F4")))} repeat {string.Join(" ", report.RepeatMse.Select(m => m.ToString("F4")))} ssim {string.Join(" ", report.Ssim.Select(m => m.ToString("F3")))} repeat {string.Join(" ", report.RepeatSsim.Select(m => m.ToString("F3")))}");
        Assert.True(report.BeatsRepetitionOnEveryFrame, $"MSE {string.Join(", ", report.Mse)} against repetition's {string.Join(", ", report.RepeatMse)}; "
            + $"SSIM {string.Join(", ", report.Ssim)} against {string.Join(", ", report.RepeatSsim)}");
        Assert.Contains("temperature", Assert.Throws<ArgumentException>(() => predictor.WithTemperature(0)).Message);
    }
}
