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
    /// <summary>
    /// Regression of (a, b) or classification over ab bins. Classification, because only it gives colours near the
    /// originals' vividness: on 400 of CIFAR-10's training images held out from 3,600 (the benchmark's 5-minute budget),
    /// regression reached PSNR 24.57 dB (grayscale 24.52) with a colourfulness of 15.4 (the originals' 33.3), classification
    /// 23.47 dB with 27.2 (bench `colorize --validate`).
    /// </summary>
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

    /// <summary>
    /// T of the annealed mean: the colour is the mean of the bins under softmax(logits / T) (Zhang et al.: 0.38). 0.5 was
    /// chosen on held-out images: the best PSNR of the temperatures whose colourfulness stays within 25 % of the
    /// originals' (0.38: 23.31 dB, colourfulness 29.2; 0.5: 23.47 dB, 27.2; 0.7: 23.51 dB, 24.9; originals 33.3).
    /// </summary>
    public float Temperature { get; init; } = 0.5f;

    /// <summary>
    /// The factor the predicted (a, b) are multiplied by (1 leaves them as predicted). A colorizer unsure of a colour
    /// predicts a blend of the candidates, greyer than any of them; for the mean m of the possible colours y, scaling by s
    /// costs only (s − 1)²·|m|² of squared error (E|y − s·m|² = E|y − m|² + (s − 1)²·|m|²) while colourfulness grows by
    /// about s, so a modest boost buys much vividness for little PSNR, when the prediction is that mean. On held-out
    /// CIFAR-10 images it was not close enough: ×1.2 cost regression 0.3 dB for colourfulness 15.4 → 18.3, and a lower
    /// temperature buys classification the same vividness for less PSNR than a boost does.
    /// </summary>
    public float Saturation { get; init; } = 1;

    /// <summary>
    /// Mirrors a random half of each training batch left to right (augmentation; lightness and colour together). On by
    /// default: the held-out figures of <see cref="Loss"/> and <see cref="Temperature"/> were measured with it.
    /// </summary>
    public bool Mirror { get; init; } = true;

    /// <summary>
    /// Moves each training image by up to this many pixels each way, uncovering black (augmentation: random crops of
    /// the zero-padded image, as <see cref="RandomShift"/>); 0 for none. Ignored if <see cref="FitOptions.Shift"/> is set.
    /// </summary>
    public int Shift { get; init; }

    /// <summary>Side of the square tiles larger images are colourised in (bounds memory; any image size works).</summary>
    public int TileSize { get; init; } = 256;

    /// <summary>Pixels shared by neighbouring tiles, where their predictions are blended so that no seam shows.</summary>
    public int TileOverlap { get; init; } = 32;

    /// <summary>
    /// The training loop's settings: the reference's Adam at 10⁻³ with batches of 64, 5 % held out for validation, whose
    /// best epoch is kept (regression on CIFAR-10 starts to overfit 4,000 images after about 15 epochs). The epochs are a
    /// time budget: 20 take about as long on CIFAR-10's 4000 training images as the reference's 5 minutes.
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
        ValidateSaturation(Saturation);
        if (Shift < 0) throw new ArgumentException($"The shift must be 0 or more pixels, not {Shift}.");
        ValidateTiles(TileSize, TileOverlap);
        if (Training is null) throw new ArgumentException("ColorizerOptions.Training must be set.");
        Training.Validate();
    }

    internal static void ValidateSaturation(float saturation)
    {
        if (!(saturation >= 0) || !float.IsFinite(saturation)) throw new ArgumentException($"The saturation must be a number of at least 0, not {saturation}.");
    }

    internal static void ValidateTiles(int size, int overlap)
    {
        if (size < 8) throw new ArgumentException($"Tiles must be at least 8 pixels wide, not {size}.");
        if (overlap < 0 || 2 * overlap >= size) throw new ArgumentException($"The tile overlap must be at least 0 and less than half the tile size ({size}), not {overlap}.");
    }
}
