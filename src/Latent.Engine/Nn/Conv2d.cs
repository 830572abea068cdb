namespace Latent.Engine.Nn;

/// <summary>
/// 2-D convolution layer y = f(conv(x, W) + b), with the activation f fused into the kernel (see <see cref="Ops.Conv2d"/>).
/// input: [batch, in, h, w]; output: [batch, out, h', w']; weight: [out, in, kh, kw]; bias: [out].
/// <code>
/// var conv = new Conv2d(1, 64, 3, padding: Padding2d.Same, activation: Activation.Relu);
/// Tensor h = conv.Forward(x);   // x: [128, 1, 28, 28] → h: [128, 64, 28, 28]
/// </code>
/// </summary>
public sealed class Conv2d : Module
{
    public Conv2d(int inChannels, int outChannels, Size2d kernel, Size2d? stride = null, Padding2d padding = default,
        Size2d? dilation = null, bool bias = true, Activation activation = Activation.Identity, float parameter = float.NaN, Rng? rng = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outChannels);
        Kernel = kernel.RequirePositive("Conv2d", "the kernel size");
        Stride = (stride ?? 1).RequirePositive("Conv2d", "stride");
        Dilation = (dilation ?? 1).RequirePositive("Conv2d", "dilation");
        (InChannels, OutChannels, Padding, Activation, Parameter) = (inChannels, outChannels, padding, activation, parameter);
        Weight = AddParameter("weight", Tensor.Zeros(outChannels, inChannels, kernel.Height, kernel.Width));
        Bias = bias ? AddParameter("bias", Tensor.Zeros(outChannels)) : null;
        ResetParameters(rng ?? Rng.Default);
    }

    public int InChannels { get; }
    public int OutChannels { get; }
    public Size2d Kernel { get; }
    public Size2d Stride { get; }
    public Padding2d Padding { get; }
    public Size2d Dilation { get; }
    public Activation Activation { get; }
    public float Parameter { get; }
    public Tensor Weight { get; }
    public Tensor? Bias { get; }

    /// <summary>He-uniform weights for ReLU-family activations, Glorot-uniform otherwise (fans include the kernel area); zero bias.</summary>
    public void ResetParameters(Rng rng)
    {
        Init.ForActivation(Weight, Activation, rng);
        Bias?.Span.Clear();
    }

    public override Tensor Forward(Tensor input) =>
        Ops.Conv2d(input, Weight, Bias, Stride, Padding, Dilation, Activation, Parameter);
}
