using Latent.Models;
using Latent.Training;

namespace Latent.Applications.Denoising;

/// <summary>How a <see cref="Denoiser"/> is trained.</summary>
public sealed record DenoiserOptions
{
    /// <summary>The noise added to clean images for training (ignored when training on noisy/clean pairs).</summary>
    public ImageNoise Noise { get; init; } = new(NoiseKind.Gaussian, 0.5f);

    /// <summary>The network; null builds the default <see cref="ConvAutoencoderConfig"/> for the images' shape.</summary>
    public ConvAutoencoderConfig? Model { get; init; }

    /// <summary>
    /// The training loop's settings. Defaults: 10 epochs of batches of 128 with Adam at 2·10⁻³, 5 % held out for
    /// validation (fresh noise is drawn for every batch, so more epochs keep helping; the rate is twice Keras' default
    /// because the model is small and BCE gradients are gentle).
    /// </summary>
    public FitOptions Training { get; init; } = new() { Epochs = 10, BatchSize = 128, LearningRate = 2e-3f, ValidationFraction = 0.05f };
}
