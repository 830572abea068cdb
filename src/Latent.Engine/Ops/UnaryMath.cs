using System.Numerics.Tensors;
using Latent.Engine.Autograd;
using Latent.Engine.Diagnostics;

namespace Latent.Engine;

public static partial class Ops
{
    private enum UnaryKind { Exp, Log, Sqrt, Abs }

    /// <summary>eˣ.</summary>
    public static Tensor Exp(Tensor x) => Unary(UnaryKind.Exp, x);

    /// <summary>Natural logarithm; log(0) = −∞ and negative inputs give NaN.</summary>
    public static Tensor Log(Tensor x) => Unary(UnaryKind.Log, x);

    /// <summary>Square root; negative inputs give NaN.</summary>
    public static Tensor Sqrt(Tensor x) => Unary(UnaryKind.Sqrt, x);

    /// <summary>|x|; its gradient at 0 is taken as 0.</summary>
    public static Tensor Abs(Tensor x) => Unary(UnaryKind.Abs, x);

    private static Tensor Unary(UnaryKind kind, Tensor x)
    {
        using var profile = StepProfiler.Measure(WorkKind.Elementwise);
        var y = Tensor.UninitializedLike(x);
        switch (kind)
        {
            case UnaryKind.Exp: TensorPrimitives.Exp(x.Span, y.Span); break;
            case UnaryKind.Log: TensorPrimitives.Log(x.Span, y.Span); break;
            case UnaryKind.Sqrt: TensorPrimitives.Sqrt(x.Span, y.Span); break;
            default: TensorPrimitives.Abs(x.Span, y.Span); break;
        }
        return GradFn.Record(y, GradFn.Needed(x) ? new UnaryGrad(kind, x) : null);
    }

    private sealed class UnaryGrad(UnaryKind kind, Tensor x) : GradFn(x)
    {
        public override void Backward(Tensor output, ReadOnlySpan<float> g)
        {
            using var w = GradWriter.For(x);
            Span<float> d = w.Target;
            switch (kind)
            {
                case UnaryKind.Exp: TensorPrimitives.Multiply(g, output.Span, d); break;       // g·eˣ
                case UnaryKind.Log: TensorPrimitives.Divide(g, x.Span, d); break;              // g / x
                case UnaryKind.Sqrt:                                                             // g / (2√x)
                    TensorPrimitives.Divide(g, output.Span, d);
                    TensorPrimitives.Multiply(d, 0.5f, d);
                    break;
                default:                                                                         // g·sign(x)
                    ReadOnlySpan<float> xs = x.Span;
                    for (int i = 0; i < d.Length; i++) d[i] = xs[i] > 0 ? g[i] : xs[i] < 0 ? -g[i] : 0f;
                    break;
            }
        }
    }

    /// <summary>xᵖ for a constant exponent p (negative bases give NaN unless p is an integer).</summary>
    public static Tensor Pow(Tensor x, float p)
    {
        using var profile = StepProfiler.Measure(WorkKind.Elementwise);
        var y = Tensor.UninitializedLike(x);
        if (p == 2f) TensorPrimitives.Multiply(x.Span, x.Span, y.Span);
        else TensorPrimitives.Pow(x.Span, p, y.Span);
        return GradFn.Record(y, GradFn.Needed(x) ? new PowGrad(x, p) : null);
    }

    private sealed class PowGrad(Tensor x, float p) : GradFn(x)
    {
        public override void Backward(Tensor output, ReadOnlySpan<float> g)
        {
            using var w = GradWriter.For(x);
            Span<float> d = w.Target;
            if (p == 2f) TensorPrimitives.Multiply(x.Span, 2f, d);
            else
            {
                TensorPrimitives.Pow(x.Span, p - 1f, d);   // p·xᵖ⁻¹, exact also at x = 0
                TensorPrimitives.Multiply(d, p, d);
            }
            TensorPrimitives.Multiply(d, g, d);
        }
    }

    /// <summary>Limits x to [min, max]; the gradient passes where min &lt; x &lt; max and is 0 outside.</summary>
    public static Tensor Clamp(Tensor x, float min, float max)
    {
        using var profile = StepProfiler.Measure(WorkKind.Elementwise);
        if (!(min <= max)) throw new ArgumentException($"Clamp: min {min} is greater than max {max}.");
        var y = Tensor.UninitializedLike(x);
        TensorPrimitives.Clamp(x.Span, min, max, y.Span);
        return GradFn.Record(y, GradFn.Needed(x) ? new ClampGrad(x, min, max) : null);
    }

    private sealed class ClampGrad(Tensor x, float min, float max) : GradFn(x)
    {
        public override void Backward(Tensor output, ReadOnlySpan<float> g)
        {
            using var w = GradWriter.For(x);
            ReadOnlySpan<float> xs = x.Span;
            Span<float> d = w.Target;
            for (int i = 0; i < d.Length; i++) d[i] = xs[i] > min && xs[i] < max ? g[i] : 0f;
        }
    }
}
