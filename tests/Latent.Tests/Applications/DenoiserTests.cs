using Latent.Applications.Denoising;
using Latent.Data;
using Latent.Engine;
using Latent.Imaging;
using Latent.Models;
using Latent.Training;

namespace Latent.Tests.Applications;

public class DenoiserTests
{
    private static readonly ImageShape Digit = ImageShape.Gray(8, 8);

    /// <summary>The bundled 8×8 digits: train = all but every fifth, held out = every fifth.</summary>
    private static (Tensor Train, Tensor Test) Digits8()
    {
        var (pixels, _) = Digits.Load();
        int n = pixels.Length / 64;
        int[] test = [.. Enumerable.Range(0, n).Where(i => i % 5 == 4)], train = [.. Enumerable.Range(0, n).Where(i => i % 5 != 4)];
        using Tensor all = Tensor.FromArray(pixels, n, 64);
        return (Ops.SelectRows(all, train), Ops.SelectRows(all, test));
    }

    private static DenoiserOptions Small(ImageNoise noise) => new()
    {
        Noise = noise,
        Model = new ConvAutoencoderConfig { Channels = 1, Height = 8, Width = 8, Filters = [32, 16], Seed = 3 },
        Training = new FitOptions { Epochs = 20, BatchSize = 64, LearningRate = 3e-3f, ValidationFraction = 0, Seed = 3 },
    };

    [Theory]
    [InlineData(NoiseKind.Gaussian, 0.3f, 2.0, false)]   // on 8×8 digits mild Gaussian noise leaves SSIM high; the smoothed output is not better there
    [InlineData(NoiseKind.SaltAndPepper, 0.2f, 4.0, true)]
    [InlineData(NoiseKind.Masking, 0.3f, 3.0, true)]
    public void RaisesPsnrOnHeldOutDigits(NoiseKind kind, float strength, double minimumGain, bool raisesSsim)
    {
        var (train, test) = Digits8();
        var noise = new ImageNoise(kind, strength);
        Denoiser denoiser = Denoiser.Fit(train, Digit, Small(noise));
        using Tensor noisy = noise.Apply(test, new Rng(99));
        DenoisingReport report = denoiser.Evaluate(test, noisy);
        Assert.True(report.Gain >= minimumGain, $"{noise}: PSNR {report.NoisyPsnr:F2} dB noisy → {report.DenoisedPsnr:F2} dB denoised");
        if (raisesSsim) Assert.True(report.DenoisedSsim > report.NoisySsim, $"SSIM {report.NoisySsim:F3} → {report.DenoisedSsim:F3}");
        Assert.Equal(test.Dim(0), report.Images);
    }

    [Fact]
    public void LearnsFromNoisyCleanPairsAndSurvivesSaveAndLoad()
    {
        var (train, test) = Digits8();
        var noise = new ImageNoise(NoiseKind.Gaussian, 0.3f);
        using Tensor noisyTrain = noise.Apply(train, new Rng(5));
        Denoiser denoiser = Denoiser.FitPairs(noisyTrain, train, Digit, Small(noise));
        using Tensor noisyTest = noise.Apply(test, new Rng(6));
        DenoisingReport report = denoiser.Evaluate(test, noisyTest);
        Assert.True(report.Gain > 2, $"PSNR {report.NoisyPsnr:F2} dB noisy → {report.DenoisedPsnr:F2} dB denoised");

        using var dir = new TempFolder();
        denoiser.Save(dir.File("denoiser.safetensors"));
        Denoiser loaded = Denoiser.Open(dir.File("denoiser.safetensors"));
        Assert.Equal(denoiser.Denoise(noisyTest).ToArray(), loaded.Denoise(noisyTest).ToArray());
        Assert.Equal(denoiser.Denoise(noisyTest.Span[..64]), loaded.Denoise(noisyTest.Span[..64]));

        Assert.Throws<ArgumentException>(() => Denoiser.FitPairs(noisyTrain, test, Digit, Small(noise)));
        Assert.Throws<ArgumentException>(() => Denoiser.Fit(Tensor.Zeros(4, 63), Digit));
    }

    [Fact]
    public void NoiseHasItsStatistics()
    {
        using Tensor half = Tensor.Full(0.5f, 200, 100);
        float[] gaussian = new ImageNoise(NoiseKind.Gaussian, 0.1f).Apply(half, new Rng(1)).ToArray();
        double std = Math.Sqrt(gaussian.Select(v => (v - 0.5) * (v - 0.5)).Average());
        Assert.Equal(0.1, std, 2);
        float[] salt = new ImageNoise(NoiseKind.SaltAndPepper, 0.2f).Apply(half, new Rng(2)).ToArray();
        Assert.Equal(0.1, salt.Count(v => v == 0f) / 20000.0, 2);
        Assert.Equal(0.1, salt.Count(v => v == 1f) / 20000.0, 2);
        float[] masked = new ImageNoise(NoiseKind.Masking, 0.3f).Apply(half, new Rng(3)).ToArray();
        Assert.Equal(0.3, masked.Count(v => v == 0f) / 20000.0, 2);
        Assert.All(new ImageNoise(NoiseKind.Gaussian, 5f).Apply(half, new Rng(4)).ToArray(), v => Assert.InRange(v, 0f, 1f));
        Assert.Throws<ArgumentException>(() => new ImageNoise(NoiseKind.Masking, 1.5f));
        Assert.Throws<ArgumentException>(() => new ImageNoise(NoiseKind.Gaussian, float.NaN));
    }
}
