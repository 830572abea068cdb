namespace Latent.Engine.Nn;

/// <summary>
/// 2-D average pooling (no parameters); see <see cref="Ops.AvgPool2d"/>. input: [batch, c, h, w]; output: [batch, c, h', w'].
/// <code>
/// var pool = new AvgPool2d(2);   // [8, 3, 32, 32] → [8, 3, 16, 16]
/// </code>
/// </summary>
public sealed class AvgPool2d(Size2d kernel, Size2d? stride = null, Padding2d padding = default, bool ceilMode = false,
    bool countIncludePad = true) : Module
{
    public Size2d Kernel { get; } = kernel;
    public Size2d Stride { get; } = stride ?? kernel;
    public Padding2d Padding { get; } = padding;
    public bool CeilMode { get; } = ceilMode;
    public bool CountIncludePad { get; } = countIncludePad;

    public override Tensor Forward(Tensor input) => Ops.AvgPool2d(input, Kernel, Stride, Padding, CeilMode, CountIncludePad);
}
