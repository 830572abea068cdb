namespace Latent.Engine.Nn;

/// <summary>
/// 2-D transposed convolution layer (learned upsampling), y = f(convᵀ(x, W) + b); see <see cref="Ops.ConvTranspose2d"/>.
/// input: [batch, in, h, w]; output: [batch, out, (h − 1)·s − padding + dilation·(k − 1) + 1 + outputPadding, …];
/// weight: [in, out, kh, kw]; bias: [out].
/// <code>
/// var up = new ConvTranspose2d(16, 32, 3, stride: 2, padding: Padding2d.Same, activation: Activation.Relu);
/// Tensor h = up.Forward(x);   // x: [8, 16, 7, 7] → h: [8, 32, 14, 14]
/// </code>
/// </summary>
public sealed class ConvTranspose2d : Module
{
    /// <summary>A transposed convolution from <paramref name="inChannels"/> to <paramref name="outChannels"/> channels, its weights initialised for <paramref name="activation"/> by <paramref name="rng"/> (the default source when null).</summary>
    public ConvTranspose2d(int inChannels, int outChannels, Size2d kernel, Size2d? stride = null, Padding2d padding = default,
        Size2d? outputPadding = null, Size2d? dilation = null, bool bias = true, Activation activation = Activation.Identity,
        float parameter = float.NaN, Rng? rng = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outChannels);
        Kernel = kernel.RequirePositive("ConvTranspose2d", "the kernel size");
        Stride = (stride ?? 1).RequirePositive("ConvTranspose2d", "stride");
        Dilation = (dilation ?? 1).RequirePositive("ConvTranspose2d", "dilation");
        OutputPadding = outputPadding ?? 0;
        (InChannels, OutChannels, Padding, Activation, Parameter) = (inChannels, outChannels, padding, activation, parameter);
        Weight = AddParameter("weight", Tensor.Zeros(inChannels, outChannels, kernel.Height, kernel.Width));
        Bias = bias ? AddParameter("bias", Tensor.Zeros(outChannels)) : null;
        ResetParameters(rng ?? Rng.Default);
    }

    /// <summary>Channels of the input.</summary>
    public int InChannels { get; }
    /// <summary>Channels of the output.</summary>
    public int OutChannels { get; }
    /// <summary>The kernel's height and width.</summary>
    public Size2d Kernel { get; }
    /// <summary>The upsampling step.</summary>
    public Size2d Stride { get; }
    /// <summary>Rows and columns cut from the full output (<see cref="Padding2d.Same"/> gives input·stride positions).</summary>
    public Padding2d Padding { get; }
    /// <summary>Extra rows and columns at the bottom and right of the output.</summary>
    public Size2d OutputPadding { get; }
    /// <summary>Spacing between kernel taps.</summary>
    public Size2d Dilation { get; }
    /// <summary>The activation fused into the convolution.</summary>
    public Activation Activation { get; }
    /// <summary>The leaky-relu slope or elu alpha (NaN: the activation's default).</summary>
    public float Parameter { get; }
    /// <summary>The kernels: [in, out, kh, kw] (PyTorch's layout).</summary>
    public Tensor Weight { get; }
    /// <summary>The bias per output channel, or null.</summary>
    public Tensor? Bias { get; }

    /// <summary>He-uniform weights for ReLU-family activations, Glorot-uniform otherwise; zero bias.</summary>
    public void ResetParameters(Rng rng)
    {
        Init.ForActivation(Weight, Activation, rng);
        Bias?.Span.Clear();
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) =>
        Ops.ConvTranspose2d(input, Weight, Bias, Stride, Padding, OutputPadding, Dilation, Activation, Parameter);
}
