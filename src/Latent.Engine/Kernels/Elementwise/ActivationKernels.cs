using System.Numerics.Tensors;

namespace Latent.Engine.Kernels.Elementwise;

/// <summary>
/// Forward and backward of every <see cref="Activation"/> on spans. <c>parameter</c> is the
/// leaky-relu slope or the elu alpha and is ignored otherwise. Output may alias the input (in place).
/// </summary>
internal static class ActivationKernels
{
    public static void Forward(Activation activation, float parameter, ReadOnlySpan<float> x, Span<float> y)
    {
        switch (activation)
        {
            case Activation.Identity: if (!x.Overlaps(y)) x.CopyTo(y); break;
            case Activation.Relu: TensorPrimitives.Max(x, 0f, y); break;
            case Activation.LeakyRelu: ElementwiseDriver.Map(new LeakyReluOp(parameter), x, y); break;
            case Activation.Elu: ElementwiseDriver.Map(new EluOp(parameter), x, y); break;
            case Activation.Sigmoid: TensorPrimitives.Sigmoid(x, y); break;
            case Activation.Tanh: TensorPrimitives.Tanh(x, y); break;
            case Activation.Softplus: ElementwiseDriver.Map(new SoftplusOp(), x, y); break;
            default: throw new ArgumentOutOfRangeException(nameof(activation), activation, null);
        }
    }

    /// <summary>dx = f'(x)·g, from the forward input x and output y (each rule reads the one it needs).</summary>
    public static void Backward(Activation activation, float parameter, ReadOnlySpan<float> x, ReadOnlySpan<float> y,
        ReadOnlySpan<float> g, Span<float> dx)
    {
        switch (activation)
        {
            case Activation.Identity: if (!g.Overlaps(dx)) g.CopyTo(dx); break;
            case Activation.Relu: ElementwiseDriver.Map(new LeakyReluGradOp(0f), y, g, dx); break;
            case Activation.LeakyRelu: ElementwiseDriver.Map(new LeakyReluGradOp(parameter), y, g, dx); break;
            case Activation.Elu: ElementwiseDriver.Map(new EluGradOp(parameter), y, g, dx); break;
            case Activation.Sigmoid: ElementwiseDriver.Map(new SigmoidGradOp(), y, g, dx); break;
            case Activation.Tanh: ElementwiseDriver.Map(new TanhGradOp(), y, g, dx); break;
            case Activation.Softplus: ElementwiseDriver.Map(new SoftplusGradOp(), x, g, dx); break;
            default: throw new ArgumentOutOfRangeException(nameof(activation), activation, null);
        }
    }

    /// <summary>Whether <see cref="Backward"/> needs the forward input x (else the output y is enough).</summary>
    public static bool BackwardNeedsInput(Activation activation) => activation == Activation.Softplus;

    /// <summary>The conventional default parameter: slope 0.01 for leaky relu, alpha 1 for elu.</summary>
    public static float DefaultParameter(Activation activation) => activation switch
    {
        Activation.LeakyRelu => 0.01f,
        Activation.Elu => 1f,
        _ => 0f,
    };
}
