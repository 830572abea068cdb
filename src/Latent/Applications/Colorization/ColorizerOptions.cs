using Latent.Models;
using Latent.Training;

namespace Latent.Applications.Colorization;

/// <summary>What a <see cref="Colorizer"/> learns to predict for each pixel's (a, b).</summary>
public enum ColorizationLoss
{
    /// <summary>
    /// (a, b) themselves by mean squared error. Where a grey object could be several colours, the best guess under MSE is
    /// their average: regression gives muted, brownish images (good PSNR, low colourfulness).
    /// </summary>
    Regression,

    /// <summary>
    /// A distribution over quantised (a, b) bins by rebalanced cross-entropy, decoded by its annealed mean (Zhang, Isola and
    /// Efros 2016): more vivid colours, at some cost in PSNR when a guess is wrong.
    /// </summary>
    Classification,
}

/// <summary>How a <see cref="Colorizer"/> is trained and how it colourises.</summary>
public sealed record ColorizerOptions
{
    /// <summary>Regression of (a, b) or classification over ab bins.</summary>
    public ColorizationLoss Loss { get; init; } = ColorizationLoss.Classification;

    /// <summary>
    /// The network; null is <see cref="UNetConfig"/>'s default (the reference U-Net, 32-64-128-128) seeded with
    /// <see cref="FitOptions.Seed"/>. Its channels are always set by the colorizer: 1 in (L), 2 out (regression) or one
    /// per ab bin (classification, where the output convolution is 1×1 unless set: a per-pixel classifier, as Zhang et
    /// al.'s, and a tenth of the cost of a 3×3 one over 261 bins).
    /// </summary>
    public UNetConfig? Model { get; init; }

    /// <summary>Side of an ab bin in Lab units (classification): 10 (Zhang et al.'s) gives 261 bins over the sRGB gamut.</summary>
    public int GridSize { get; init; } = 10;

    /// <summary>Nearest bins each pixel's colour is spread over for training (classification; Zhang et al.: 5).</summary>
    public int Neighbours { get; init; } = 5;

    /// <summary>Width in Lab units of the Gaussian that spreads a colour over its nearest bins (Zhang et al.: 5).</summary>
    public float Sigma { get; init; } = 5;

    /// <summary>
    /// λ of the class rebalancing: loss weights ∝ 1 / ((1 − λ)·p̃ + λ/Q) over the bins' smoothed frequency p̃ (Zhang et al.:
    /// 0.5). 1 weighs every bin alike (no rebalancing); smaller values favour rare, saturated colours more.
    /// </summary>
    public float Rebalancing { get; init; } = 0.5f;

    /// <summary>T of the annealed mean: the colour is the mean of the bins under softmax(logits / T) (Zhang et al.: 0.38).</summary>
    public float Temperature { get; init; } = 0.38f;

    /// <summary>Side of the square tiles larger images are colourised in (bounds memory; any image size works).</summary>
    public int TileSize { get; init; } = 256;

    /// <summary>Pixels shared by neighbouring tiles, where their predictions are blended so that no seam shows.</summary>
    public int TileOverlap { get; init; } = 32;

    /// <summary>
    /// The training loop's settings: the reference's Adam at 10⁻³ with batches of 64, 5 % held out for validation. The
    /// epochs are a time budget: 20 take about as long on CIFAR-10's 4000 training images as the reference's 5 minutes.
    /// </summary>
    public FitOptions Training { get; init; } = new() { Epochs = 20, BatchSize = 64, LearningRate = 1e-3f, ValidationFraction = 0.05f };

    internal void Validate()
    {
        if (!Enum.IsDefined(Loss)) throw new ArgumentException($"Unknown colorization loss {Loss}.");
        if (GridSize is < 2 or > 40) throw new ArgumentException($"The ab grid size must be between 2 and 40 Lab units, not {GridSize}.");
        if (Neighbours < 1) throw new ArgumentException($"Each colour needs at least one neighbouring bin, not {Neighbours}.");
        if (!(Sigma > 0)) throw new ArgumentException($"Sigma must be positive, not {Sigma}.");
        if (!(Rebalancing is > 0 and <= 1)) throw new ArgumentException($"The rebalancing λ must be in (0, 1], not {Rebalancing}.");
        if (!(Temperature > 0) || !float.IsFinite(Temperature)) throw new ArgumentException($"The temperature must be a positive number, not {Temperature}.");
        ValidateTiles(TileSize, TileOverlap);
        if (Training is null) throw new ArgumentException("ColorizerOptions.Training must be set.");
        Training.Validate();
    }

    internal static void ValidateTiles(int size, int overlap)
    {
        if (size < 8) throw new ArgumentException($"Tiles must be at least 8 pixels wide, not {size}.");
        if (overlap < 0 || 2 * overlap >= size) throw new ArgumentException($"The tile overlap must be at least 0 and less than half the tile size ({size}), not {overlap}.");
    }
}
