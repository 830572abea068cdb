namespace Latent.Engine.Nn;

/// <summary>
/// 2-D max pooling (no parameters); see <see cref="Ops.MaxPool2d"/>. input: [batch, c, h, w]; output: [batch, c, h', w'].
/// <code>
/// var pool = new MaxPool2d(2, padding: Padding2d.Same);   // 28 → 14 → 7 → 4
/// </code>
/// </summary>
public sealed class MaxPool2d(Size2d kernel, Size2d? stride = null, Padding2d padding = default, bool ceilMode = false) : Module
{
    /// <summary>The window size.</summary>
    public Size2d Kernel { get; } = kernel;
    /// <summary>The step between windows (the kernel size by default).</summary>
    public Size2d Stride { get; } = stride ?? kernel;
    /// <summary>Padding around the image; padding never wins the maximum.</summary>
    public Padding2d Padding { get; } = padding;
    /// <summary>Whether the output size rounds up (a last partial window) instead of down.</summary>
    public bool CeilMode { get; } = ceilMode;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Ops.MaxPool2d(input, Kernel, Stride, Padding, CeilMode);
}
