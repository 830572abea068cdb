using Latent.Engine.Autograd;
using Latent.Engine.Diagnostics;
using Latent.Engine.Kernels.Elementwise;

namespace Latent.Engine;

public static partial class Ops
{
    /// <summary>max(x, 0).</summary>
    public static Tensor Relu(Tensor x) => Activate(x, Activation.Relu);

    /// <summary>x for x &gt; 0, else slope·x.</summary>
    public static Tensor LeakyRelu(Tensor x, float slope = 0.01f) => Activate(x, Activation.LeakyRelu, slope);

    /// <summary>x for x &gt; 0, else alpha·(eˣ − 1).</summary>
    public static Tensor Elu(Tensor x, float alpha = 1f) => Activate(x, Activation.Elu, alpha);

    /// <summary>1 / (1 + e⁻ˣ).</summary>
    public static Tensor Sigmoid(Tensor x) => Activate(x, Activation.Sigmoid);

    /// <summary>tanh(x).</summary>
    public static Tensor Tanh(Tensor x) => Activate(x, Activation.Tanh);

    /// <summary>log(1 + eˣ), computed without overflow.</summary>
    public static Tensor Softplus(Tensor x) => Activate(x, Activation.Softplus);

    /// <summary>Applies any <see cref="Activation"/>; <paramref name="parameter"/> NaN means its default.</summary>
    public static Tensor Activate(Tensor x, Activation activation, float parameter = float.NaN)
    {
        using var profile = StepProfiler.Measure(WorkKind.Elementwise);
        if (activation == Activation.Identity) return x;
        if (float.IsNaN(parameter)) parameter = ActivationKernels.DefaultParameter(activation);
        var y = Tensor.UninitializedLike(x);
        ActivationKernels.Forward(activation, parameter, x.Span, y.Span);
        return GradFn.Record(y, GradFn.Needed(x) ? new ActivationGrad(x, activation, parameter) : null);
    }

    private sealed class ActivationGrad(Tensor x, Activation activation, float parameter) : GradFn(x)
    {
        public override void Backward(Tensor output, ReadOnlySpan<float> g)
        {
            using var w = GradWriter.For(x);
            ReadOnlySpan<float> input = ActivationKernels.BackwardNeedsInput(activation) ? x.Span : default;
            ActivationKernels.Backward(activation, parameter, input, output.Span, g, w.Target);
        }
    }
}
