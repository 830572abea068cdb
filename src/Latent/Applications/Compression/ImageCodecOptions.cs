using Latent.Models;
using Latent.Training;

namespace Latent.Applications.Compression;

/// <summary>How an <see cref="ImageCodec"/> is trained.</summary>
public sealed record ImageCodecOptions
{
    /// <summary>
    /// λ of each quality, from the lowest quality (fewest bits) up; one model is trained per λ. The defaults are
    /// CompressAI's λ of its qualities 3 to 6 (0.0067 to 0.0483 with distortion as 255²·MSE), which take its factorised
    /// model from about 30 to 36 dB on Kodak; a small model trained for minutes lands lower.
    /// </summary>
    public float[] Lambdas { get; init; } = [0.0067f, 0.013f, 0.025f, 0.0483f];

    /// <summary>The network of every quality; null is <see cref="ImageCodecConfig"/>'s default seeded with <see cref="FitOptions.Seed"/>.</summary>
    public ImageCodecConfig? Model { get; init; }

    /// <summary>
    /// Side of the square crops the models train on, a multiple of <see cref="ImageCodecConfig.Alignment"/>. At 32 the
    /// latent of a crop is 2×2, every position a border one, and a factorised codec trained so loses 6 dB on large
    /// photographs; 64 costs the same per pixel. 128 (a quarter of the steps in the same time) trained a far worse
    /// codec: on a held-out photograph it needed 0.82 bpp for 30 dB, against 0.53 at 64. Smaller images are packed side
    /// by side into crops (see <see cref="TrainingCrops"/>).
    /// </summary>
    public int CropSize { get; init; } = 64;

    /// <summary>Random crops taken from each image larger than a crop, as a multiple of the number that would tile it.</summary>
    public float CropCoverage { get; init; } = 2;

    /// <summary>
    /// The training loop of the first quality. CompressAI trains with Adam at 10⁻⁴ in batches of 16 for days; we train for
    /// minutes, so at 2·10⁻³ in batches of 8 (twice the steps) with a cosine decay and the gradient norm clipped at 1
    /// (both measured better on Kodak than 10⁻³ and 16); 5 % of the crops measure validation. 64 epochs: against 16 (and
    /// 24 against 6 for the next qualities), the rate–distortion loss on the validation crops fell at every quality
    /// (1.68 → 1.43, 2.40 → 2.08, 3.53 → 3.08, 5.40 → 5.00 for the default λ on CIFAR-10 and Kodak crops), for about
    /// 20 minutes of training on 2 cores instead of 5.
    /// </summary>
    public FitOptions Training { get; init; } = new()
    {
        Epochs = 64, BatchSize = 8, LearningRate = 2e-3f, Schedule = ScheduleKind.Cosine, ValidationFraction = 0.05f, ClipGradientNorm = 1f,
    };

    /// <summary>
    /// When set, only the first quality trains from scratch (for <see cref="FitOptions.Epochs"/>); each next one starts
    /// from the weights of the one before and trains for this many epochs. Neighbouring qualities need similar
    /// transforms, so this buys most of their quality for a fraction of the time. Null trains every quality from scratch
    /// for the full <see cref="FitOptions.Epochs"/>.
    /// </summary>
    public int? FineTuneEpochs { get; init; } = 24;

    internal void Validate()
    {
        if (Lambdas is null || Lambdas.Length is < 1 or > 255) throw new ArgumentException("An image codec needs 1 to 255 qualities (λ values).");
        foreach (float lambda in Lambdas)
            if (!(lambda > 0) || !float.IsFinite(lambda)) throw new ArgumentException($"Every λ must be a positive number, not {lambda}.");
        for (int i = 1; i < Lambdas.Length; i++)
            if (!(Lambdas[i] > Lambdas[i - 1])) throw new ArgumentException("The λ values must increase from the lowest quality to the highest.");
        Model?.Validate();
        int alignment = (Model ?? new ImageCodecConfig()).Alignment;
        if (CropSize < alignment || CropSize % alignment != 0)
            throw new ArgumentException($"The crop size must be a positive multiple of {alignment}, not {CropSize}.");
        if (!(CropCoverage > 0) || !float.IsFinite(CropCoverage)) throw new ArgumentException($"The crop coverage must be a positive number, not {CropCoverage}.");
        if (FineTuneEpochs is < 1) throw new ArgumentException($"Fine-tuning needs at least 1 epoch, not {FineTuneEpochs}.");
        if (Training is null) throw new ArgumentException("ImageCodecOptions.Training must be set.");
        Training.Validate();
    }
}
