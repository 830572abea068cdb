using System.Numerics.Tensors;
using Latent.Engine.Autograd;
using Latent.Engine.Diagnostics;

namespace Latent.Engine;

public static partial class Ops
{
    /// <summary>exp(xᵢ − max) / Σⱼ exp(xⱼ − max) along the last axis (stable for any magnitude).</summary>
    public static Tensor Softmax(Tensor x, int axis = -1) => SoftmaxCore(x, axis, log: false);

    /// <summary>xᵢ − max − log Σⱼ exp(xⱼ − max) along the last axis, without forming the softmax.</summary>
    public static Tensor LogSoftmax(Tensor x, int axis = -1) => SoftmaxCore(x, axis, log: true);

    private static Tensor SoftmaxCore(Tensor x, int axis, bool log)
    {
        using var profile = StepProfiler.Measure(WorkKind.Elementwise);
        if (x.Rank == 0 || Shapes.NormalizeAxis(axis, x.Rank) != x.Rank - 1)
            throw new ArgumentException($"Softmax runs along the last axis; got axis {axis} for shape {Shapes.Format(x.ShapeArray)}.");
        int width = x.Dim(-1), rows = width == 0 ? 0 : x.Length / width;
        var y = Tensor.UninitializedLike(x);
        ReadOnlySpan<float> xs = x.Span;
        Span<float> ys = y.Span;
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> row = xs.Slice(r * width, width);
            Span<float> dst = ys.Slice(r * width, width);
            float max = TensorPrimitives.Max(row);
            TensorPrimitives.Subtract(row, max, dst);
            if (log)
            {
                // log Σ exp(x − max), computed on the fly without a temporary row.
                float sum = 0f;
                foreach (float v in dst) sum += MathF.Exp(v);
                TensorPrimitives.Subtract(dst, MathF.Log(sum), dst);
            }
            else
            {
                TensorPrimitives.Exp(dst, dst);
                TensorPrimitives.Divide(dst, TensorPrimitives.Sum(dst), dst);
            }
        }
        return GradFn.Record(y, GradFn.Needed(x) ? new SoftmaxGrad(x, width, log) : null);
    }

    private sealed class SoftmaxGrad(Tensor x, int width, bool log) : GradFn(x)
    {
        public override void Backward(Tensor output, ReadOnlySpan<float> g)
        {
            using var w = GradWriter.For(x);
            ReadOnlySpan<float> ys = output.Span;
            Span<float> d = w.Target;
            int rows = width == 0 ? 0 : ys.Length / width;
            for (int r = 0; r < rows; r++)
            {
                ReadOnlySpan<float> y = ys.Slice(r * width, width), gr = g.Slice(r * width, width);
                Span<float> dst = d.Slice(r * width, width);
                if (log)
                {
                    // dx = g − softmax·Σg, softmax = exp(log-softmax)
                    float sum = TensorPrimitives.Sum(gr);
                    TensorPrimitives.Exp(y, dst);
                    TensorPrimitives.MultiplyAdd(dst, -sum, gr, dst);
                }
                else
                {
                    // dx = y·(g − Σ g·y)
                    float dot = TensorPrimitives.Dot(gr, y);
                    TensorPrimitives.Subtract(gr, dot, dst);
                    TensorPrimitives.Multiply(dst, y, dst);
                }
            }
        }
    }
}
