using Latent.Models;
using Latent.Training;

namespace Latent.Applications.Segmentation;

/// <summary>How a <see cref="Segmenter"/> is trained.</summary>
public sealed record SegmenterOptions
{
    /// <summary>Number of classes (mask values 0 … Classes − 1); null takes the largest class id in the masks, plus one.</summary>
    public int? Classes { get; init; }

    /// <summary>
    /// The network; null is a U-Net of widths 16-32-64 with two convolutions per block and batch norm (Ronneberger et al.'s
    /// blocks, narrower), seeded with <see cref="FitOptions.Seed"/>. Its channels are set by the segmenter: the images' in,
    /// one per class out.
    /// </summary>
    public UNetConfig? Model { get; init; }

    /// <summary>
    /// Weight of the soft Dice loss added to the pixel-wise cross-entropy. Cross-entropy alone lets a small foreground class
    /// be swamped by the background; Dice scores each class by its overlap whatever its size. 0 trains by cross-entropy only.
    /// </summary>
    public float DiceWeight { get; init; } = 1;

    /// <summary>The training loop's settings: Adam at 3·10⁻³ in batches of 16, 10 % held out to pick the best epoch.</summary>
    public FitOptions Training { get; init; } = new() { Epochs = 20, BatchSize = 16, LearningRate = 3e-3f, ValidationFraction = 0.1f };

    /// <summary>The default network for images of <paramref name="channels"/> channels and <paramref name="classes"/> classes.</summary>
    internal UNetConfig Network(int channels, int classes) =>
        (Model ?? new UNetConfig { Widths = [16, 32, 64], ConvolutionsPerBlock = 2, BatchNorm = true, Seed = Training.Seed }) with
        {
            InChannels = channels, OutChannels = classes,
        };

    internal void Validate()
    {
        if (Classes is < 2 or > 256) throw new ArgumentException($"A segmenter needs 2 to 256 classes (background counts as one), not {Classes}.");
        if (!(DiceWeight >= 0) || !float.IsFinite(DiceWeight)) throw new ArgumentException($"The Dice weight must be zero or positive, not {DiceWeight}.");
        if (Training is null) throw new ArgumentException("SegmenterOptions.Training must be set.");
        Training.Validate();
    }
}
