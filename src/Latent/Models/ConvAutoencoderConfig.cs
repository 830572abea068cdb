using Latent.Engine;

namespace Latent.Models;

/// <summary>How a <see cref="ConvAutoencoder"/>'s encoder halves the image at each level.</summary>
public enum Downsampling
{
    /// <summary>A "same" convolution, then 2×2 max pooling ("same": odd sizes round up, 7 → 4).</summary>
    MaxPool,

    /// <summary>One convolution with stride 2 ("same").</summary>
    StridedConv,
}

/// <summary>How a <see cref="ConvAutoencoder"/>'s decoder doubles the image at each level.</summary>
public enum Upsampling
{
    /// <summary>A convolution, then nearest-neighbour ×2 (Keras' UpSampling2D).</summary>
    Nearest,

    /// <summary>A convolution, then bilinear ×2.</summary>
    Bilinear,

    /// <summary>One transposed convolution with stride 2.</summary>
    TransposedConv,
}

/// <summary>
/// Architecture of a <see cref="ConvAutoencoder"/>: image → [conv + downsample] per encoder filter count → code →
/// [conv + upsample] per decoder filter count → conv to the image's channels. Stored in the model file.
/// The defaults are the convolutional denoiser of the Keras examples (64-32-16, 3×3, ReLU, max pooling, nearest
/// upsampling, sigmoid output, Glorot initialisation) for 1×28×28 images, trained with binary cross-entropy.
/// </summary>
public sealed record ConvAutoencoderConfig
{
    /// <summary>Image channels (1 gray, 3 RGB).</summary>
    public required int Channels { get; init; }
    /// <summary>Image height in pixels.</summary>
    public required int Height { get; init; }
    /// <summary>Image width in pixels.</summary>
    public required int Width { get; init; }

    /// <summary>Output channels of the encoder's convolutions, from the image side; each level halves the size.</summary>
    public int[] Filters { get; init; } = [64, 32, 16];

    /// <summary>Output channels of the decoder's convolutions, from the code side; null mirrors <see cref="Filters"/>. Same count of levels.</summary>
    public int[]? DecoderFilters { get; init; }

    /// <summary>Side of every (square) kernel; odd sizes keep "same" padding symmetric.</summary>
    public int KernelSize { get; init; } = 3;

    /// <summary>How the encoder halves the image at each level.</summary>
    public Downsampling Downsampling { get; init; } = Downsampling.MaxPool;
    /// <summary>How the decoder doubles it back.</summary>
    public Upsampling Upsampling { get; init; } = Upsampling.Nearest;

    /// <summary>
    /// When set, a dense bottleneck: the last feature map is flattened into a code of this size and back (for search and
    /// compact codes). Null (default): the last feature map itself is the code.
    /// </summary>
    public int? CodeSize { get; init; }

    /// <summary>Batch normalisation after every hidden convolution (before its activation).</summary>
    public bool BatchNorm { get; init; }

    /// <summary>Activation of the hidden convolutions.</summary>
    public Activation Activation { get; init; } = Activation.Relu;

    /// <summary>Sigmoid for images in [0, 1] (required by binary cross-entropy), identity otherwise.</summary>
    public Activation Output { get; init; } = Activation.Sigmoid;

    /// <summary>
    /// Binary cross-entropy by default: with MSE this architecture can collapse to a constant image early in training
    /// (see shared/reference/README.md); with BCE it learns to denoise.
    /// </summary>
    public ReconstructionLoss Loss { get; init; } = ReconstructionLoss.BinaryCrossEntropy;

    /// <summary>
    /// Glorot by default: the MNIST denoiser (noise 0.5, the Denoiser's recipe, 5 epochs, seed 0) reached 18.0 dB PSNR on a
    /// validation split (the last 6000 training images) with it and 17.0 dB with He (bench conv-denoise --validation).
    /// </summary>
    public WeightInit Initialization { get; init; } = WeightInit.Glorot;

    /// <summary>Seeds the initial weights.</summary>
    public ulong Seed { get; init; }

    /// <summary>The decoder's filter counts (explicit or mirrored).</summary>
    public int[] DecoderFiltersOrMirror => DecoderFilters ?? [.. Filters.Reverse()];

    internal void Validate()
    {
        if (Channels < 1 || Height < 1 || Width < 1)
            throw new ArgumentException($"Images must have positive channels, height and width; got {Channels}×{Height}×{Width}.");
        if (Filters.Length == 0 || Filters.Any(f => f < 1))
            throw new ArgumentException($"The encoder needs at least one level, each with at least one filter; got [{string.Join(", ", Filters)}].");
        int[] decoder = DecoderFiltersOrMirror;
        if (decoder.Length != Filters.Length || decoder.Any(f => f < 1))
            throw new ArgumentException($"The decoder needs as many levels as the encoder ({Filters.Length}), each with at least one filter; got [{string.Join(", ", decoder)}].");
        if (KernelSize < 1) throw new ArgumentException($"The kernel size must be at least 1, not {KernelSize}.");
        if (CodeSize is < 1) throw new ArgumentException($"The code size must be at least 1, not {CodeSize}.");
        if (Loss == ReconstructionLoss.BinaryCrossEntropy && Output != Activation.Sigmoid)
            throw new ArgumentException("Binary cross-entropy needs a sigmoid output (images in [0, 1]).");
        if (Output is not (Activation.Sigmoid or Activation.Identity))
            throw new ArgumentException($"The output activation must be sigmoid or identity, not {Output}.");
        if (!Enum.IsDefined(Downsampling) || !Enum.IsDefined(Upsampling) || !Enum.IsDefined(Initialization))
            throw new ArgumentException("Unknown downsampling, upsampling or initialisation.");
    }
}
