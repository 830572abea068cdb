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
    /// Side of the square crops the models train on. 32 lets CIFAR-10's images be crops of their own; larger crops teach
    /// more of the structure of large photographs, at the same cost per pixel. Smaller images are padded by repeating
    /// their edges (as the codec pads images whose size is not a multiple of 16).
    /// </summary>
    public int CropSize { get; init; } = 32;

    /// <summary>Random crops taken from each image larger than a crop, as a multiple of the number that would tile it.</summary>
    public float CropCoverage { get; init; } = 2;

    /// <summary>
    /// The training loop of every quality. CompressAI's Adam with batches of 16, at 10⁻³ rather than its 10⁻⁴ because
    /// we train for minutes instead of days, with a cosine decay to make up for it; 5 % of the crops measure validation.
    /// </summary>
    public FitOptions Training { get; init; } = new()
    {
        Epochs = 10, BatchSize = 16, LearningRate = 1e-3f, Schedule = ScheduleKind.Cosine, ValidationFraction = 0.05f, ClipGradientNorm = 1f,
    };

    /// <summary>
    /// When set, only the first quality trains from scratch (for <see cref="FitOptions.Epochs"/>); each next one starts
    /// from the weights of the one before and trains for this many epochs. Neighbouring qualities need similar
    /// transforms, so this buys most of their quality for a fraction of the time. Null trains every quality from scratch.
    /// </summary>
    public int? FineTuneEpochs { get; init; }

    internal void Validate()
    {
        if (Lambdas is null || Lambdas.Length is < 1 or > 255) throw new ArgumentException("An image codec needs 1 to 255 qualities (λ values).");
        foreach (float lambda in Lambdas)
            if (!(lambda > 0) || !float.IsFinite(lambda)) throw new ArgumentException($"Every λ must be a positive number, not {lambda}.");
        for (int i = 1; i < Lambdas.Length; i++)
            if (!(Lambdas[i] > Lambdas[i - 1])) throw new ArgumentException("The λ values must increase from the lowest quality to the highest.");
        Model?.Validate();
        if (CropSize < ImageCodecConfig.Stride || CropSize % ImageCodecConfig.Stride != 0)
            throw new ArgumentException($"The crop size must be a positive multiple of {ImageCodecConfig.Stride}, not {CropSize}.");
        if (!(CropCoverage > 0) || !float.IsFinite(CropCoverage)) throw new ArgumentException($"The crop coverage must be a positive number, not {CropCoverage}.");
        if (FineTuneEpochs is < 1) throw new ArgumentException($"Fine-tuning needs at least 1 epoch, not {FineTuneEpochs}.");
        if (Training is null) throw new ArgumentException("ImageCodecOptions.Training must be set.");
        Training.Validate();
    }
}
