namespace Latent.Engine.Nn;

/// <summary>
/// Enlarges images by integer factors (no parameters); see <see cref="Ops.Upsample"/>.
/// input: [batch, c, h, w]; output: [batch, c, h·sh, w·sw].
/// <code>
/// var up = new Upsample(2);   // [8, 16, 7, 7] → [8, 16, 14, 14], each pixel a 2×2 block
/// </code>
/// </summary>
public sealed class Upsample(Size2d scale, UpsampleMode mode = UpsampleMode.Nearest, bool alignCorners = false) : Module
{
    /// <summary>The integer factors of height and width.</summary>
    public Size2d Scale { get; } = scale.RequirePositive("Upsample", "the scale factor");
    /// <summary>How new pixels are computed.</summary>
    public UpsampleMode Mode { get; } = mode;
    /// <summary>For bilinear: whether the corner pixels of input and output are aligned (PyTorch's align_corners).</summary>
    public bool AlignCorners { get; } = alignCorners;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Ops.Upsample(input, Scale, Mode, AlignCorners);
}
