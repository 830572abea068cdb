using Latent.Engine;

namespace Latent.Models;

/// <summary>
/// Architecture of a <see cref="UNet"/>: per level a block of convolutions at half the size of the level above; the
/// decoder comes back up level by level, joining each upsampled map with the encoder's map of the same size (the skip
/// connection, by concatenation); a last convolution gives the output channels. Stored in the model file.
/// The defaults are the small U-Net of shared/reference/colorize_baseline.py (32-64-128-128, one 3×3 convolution per
/// block, stride-2 convolutions down, nearest ×2 up, ReLU, no batch norm, PyTorch's initialisation), 1 channel in, 2 out.
/// </summary>
public sealed record UNetConfig
{
    /// <summary>Channels of the input images.</summary>
    public int InChannels { get; init; } = 1;

    /// <summary>Channels of the output images (regression targets or class logits).</summary>
    public int OutChannels { get; init; } = 2;

    /// <summary>Feature channels of each level, from full size down; every level after the first halves the size (rounding up).</summary>
    public int[] Widths { get; init; } = [32, 64, 128, 128];

    /// <summary>Convolutions per block (Ronneberger et al.'s U-Net has 2; the reference 1). With stride-2 downsampling the first of a level's block is the strided one.</summary>
    public int ConvolutionsPerBlock { get; init; } = 1;

    /// <summary>Side of every (square) kernel; odd, so that padding keeps the size.</summary>
    public int KernelSize { get; init; } = 3;

    /// <summary>
    /// Kernel side of the output convolution; null uses <see cref="KernelSize"/>. 1 makes it a per-pixel linear map, much
    /// cheaper with many output channels (a colorizer's 261 colour bins; Zhang et al.'s classifier is 1×1 too).
    /// </summary>
    public int? HeadKernelSize { get; init; }

    /// <summary>How the encoder halves the size between levels.</summary>
    public Downsampling Downsampling { get; init; } = Downsampling.StridedConv;

    /// <summary>How the decoder doubles it back (then crops to the skip's size when the level above was odd).</summary>
    public Upsampling Upsampling { get; init; } = Upsampling.Nearest;

    /// <summary>Batch normalisation after every hidden convolution (before its activation).</summary>
    public bool BatchNorm { get; init; }

    /// <summary>Activation of the hidden convolutions (the output convolution is linear).</summary>
    public Activation Activation { get; init; } = Activation.Relu;

    /// <summary>PyTorch's default U(±1/√fan_in), as the reference U-Net starts.</summary>
    public WeightInit Initialization { get; init; } = WeightInit.FanInUniform;

    /// <summary>Seeds the initial weights.</summary>
    public ulong Seed { get; init; }

    /// <summary>How many times the encoder halves the size.</summary>
    public int Depth => Widths.Length - 1;

    internal void Validate()
    {
        if (InChannels < 1 || OutChannels < 1)
            throw new ArgumentException($"A U-Net needs at least one input and one output channel; got {InChannels} in and {OutChannels} out.");
        if (Widths is null || Widths.Length == 0 || Widths.Any(w => w < 1))
            throw new ArgumentException($"A U-Net needs at least one level, each with at least one channel; got [{string.Join(", ", Widths ?? [])}].");
        if (Widths.Length > 12) throw new ArgumentException($"A U-Net of {Widths.Length} levels halves the image more than 11 times; use at most 12 levels.");
        if (ConvolutionsPerBlock < 1) throw new ArgumentException($"Each block needs at least one convolution, not {ConvolutionsPerBlock}.");
        if (KernelSize < 1 || KernelSize % 2 == 0) throw new ArgumentException($"The kernel size must be odd and positive, not {KernelSize}.");
        if (HeadKernelSize is { } head && (head < 1 || head % 2 == 0)) throw new ArgumentException($"The output kernel size must be odd and positive, not {head}.");
        if (!Enum.IsDefined(Downsampling) || !Enum.IsDefined(Upsampling) || !Enum.IsDefined(Initialization) || !Enum.IsDefined(Activation))
            throw new ArgumentException("Unknown downsampling, upsampling, activation or initialisation.");
    }
}
