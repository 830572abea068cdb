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
    public Size2d Scale { get; } = scale.RequirePositive("Upsample", "the scale factor");
    public UpsampleMode Mode { get; } = mode;
    public bool AlignCorners { get; } = alignCorners;

    public override Tensor Forward(Tensor input) => Ops.Upsample(input, Scale, Mode, AlignCorners);
}
