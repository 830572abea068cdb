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
    /// <summary>A convolution from <paramref name="inChannels"/> to <paramref name="outChannels"/> channels, its weights initialised for <paramref name="activation"/> by <paramref name="rng"/> (the default source when null).</summary>
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

    /// <summary>Channels of the input.</summary>
    public int InChannels { get; }
    /// <summary>Channels of the output (the number of filters).</summary>
    public int OutChannels { get; }
    /// <summary>The kernel's height and width.</summary>
    public Size2d Kernel { get; }
    /// <summary>The step between output positions.</summary>
    public Size2d Stride { get; }
    /// <summary>Zeros around the input (<see cref="Padding2d.Same"/> keeps ⌈size / stride⌉ positions).</summary>
    public Padding2d Padding { get; }
    /// <summary>Spacing between kernel taps.</summary>
    public Size2d Dilation { get; }
    /// <summary>The activation fused into the convolution.</summary>
    public Activation Activation { get; }
    /// <summary>The leaky-relu slope or elu alpha (NaN: the activation's default).</summary>
    public float Parameter { get; }
    /// <summary>The kernels: [out, in, kh, kw].</summary>
    public Tensor Weight { get; }
    /// <summary>The bias per output channel, or null.</summary>
    public Tensor? Bias { get; }

    /// <summary>He-uniform weights for ReLU-family activations, Glorot-uniform otherwise (fans include the kernel area); zero bias.</summary>
    public void ResetParameters(Rng rng)
    {
        Init.ForActivation(Weight, Activation, rng);
        Bias?.Span.Clear();
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) =>
        Ops.Conv2d(input, Weight, Bias, Stride, Padding, Dilation, Activation, Parameter);
}
