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
    /// <summary>The window size.</summary>
    public Size2d Kernel { get; } = kernel;
    /// <summary>The step between windows (the kernel size by default).</summary>
    public Size2d Stride { get; } = stride ?? kernel;
    /// <summary>Padding around the image; padded values are never the maximum and count in the mean only when <see cref="CountIncludePad"/> is set (never with same padding).</summary>
    public Padding2d Padding { get; } = padding;
    /// <summary>Whether the output size rounds up (a last partial window) instead of down.</summary>
    public bool CeilMode { get; } = ceilMode;
    /// <summary>Whether padded zeros count in the mean of a window (PyTorch's default).</summary>
    public bool CountIncludePad { get; } = countIncludePad;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Ops.AvgPool2d(input, Kernel, Stride, Padding, CeilMode, CountIncludePad);
}
