using Latent.Applications.Denoising;
using Latent.Data;
using Latent.Engine;
using Latent.Imaging;
using Latent.Models;
using Latent.Training;

namespace Latent.Tests.Applications.Contract;

/// <summary>The denoiser on the bundled 8×8 digits: two quick epochs of a small network; what it makes of fixed noisy digits must not change.</summary>
public sealed class DenoiserContract : ApplicationContract<Denoiser>
{
    private static readonly ImageShape Digit = ImageShape.Gray(8, 8);
    private static readonly Tensor Clean = Tensor.FromArray(Digits.Load().Pixels.AsSpan(0, 200 * 64), 200, 64);
    private static readonly Tensor Noisy = new ImageNoise(NoiseKind.Gaussian, 0.3f).Apply(Clean, new Rng(9));

    protected override Denoiser Fit(ulong seed, IProgress<TrainingProgress>? progress = null) =>
        Denoiser.Fit(Clean, Digit, Small(seed), progress);

    private static DenoiserOptions Small(ulong seed) => new()
    {
        Noise = new ImageNoise(NoiseKind.Gaussian, 0.3f),
        Model = new ConvAutoencoderConfig { Channels = 1, Height = 8, Width = 8, Filters = [4, 4], Seed = seed },
        Training = new FitOptions { Epochs = 2, BatchSize = 50, Seed = seed },
    };

    protected override float[] Use(Denoiser app)
    {
        DenoisingReport report = app.Evaluate(Clean, Noisy);
        return [.. app.Denoise(Noisy).ToArray(), (float)report.DenoisedPsnr, (float)report.DenoisedSsim];
    }

    protected override IEnumerable<(Action, string)> BadInputs(Denoiser app) =>
    [
        (() => app.Denoise(Tensor.Zeros(3, 63)), "[3, 63]"),
        (() => app.Denoise([new float[10]]), "10 values"),
        (() => Denoiser.Fit(ContractData.WithValue(Clean, 70, float.NaN), Digit), "Row 1, column 6"),
        (() => Denoiser.FitPairs(Noisy, Tensor.Zeros(5, 64), Digit), "pair up"),
        (() => Denoiser.Fit(Clean, Digit, Small(1) with { Training = new FitOptions { Epochs = 0 } }), "Epochs"),
    ];

    protected override IEnumerable<object> CallerData => [Clean, Noisy];

    protected override Denoiser Open(string path) => Denoiser.Open(path);
}
