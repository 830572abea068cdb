using System.Numerics.Tensors;
using Latent.Engine.Autograd;
using Latent.Engine.Diagnostics;

namespace Latent.Engine;

public static partial class Ops
{
    /// <summary>The sum of all elements, as a scalar.</summary>
    public static Tensor Sum(Tensor x) => SumAll(x, 1f);

    /// <summary>The mean of all elements, as a scalar (NaN for an empty tensor).</summary>
    public static Tensor Mean(Tensor x) => SumAll(x, 1f / x.Length);

    private static Tensor SumAll(Tensor x, float scale)
    {
        using var profile = StepProfiler.Measure(WorkKind.Elementwise);
        var y = Tensor.Scalar(TensorPrimitives.Sum(x.Span) * scale);
        return GradFn.Record(y, GradFn.Needed(x) ? new SumAllGrad(x, scale) : null);
    }

    private sealed class SumAllGrad(Tensor x, float scale) : GradFn(x)
    {
        public override void Backward(Tensor output, ReadOnlySpan<float> g)
        {
            using var w = GradWriter.For(x);
            w.Target.Fill(g[0] * scale);
        }
    }

    /// <summary>Sums along <paramref name="axis"/>; the axis is dropped unless <paramref name="keepDim"/> keeps it as size 1.</summary>
    public static Tensor Sum(Tensor x, int axis, bool keepDim = false) => SumAxis(x, axis, keepDim, mean: false);

    /// <summary>Averages along <paramref name="axis"/>; the axis is dropped unless <paramref name="keepDim"/> keeps it as size 1.</summary>
    public static Tensor Mean(Tensor x, int axis, bool keepDim = false) => SumAxis(x, axis, keepDim, mean: true);

    private static Tensor SumAxis(Tensor x, int axis, bool keepDim, bool mean)
    {
        using var profile = StepProfiler.Measure(WorkKind.Elementwise);
        int ax = Shapes.NormalizeAxis(axis, x.Rank);
        var (outer, size, inner) = Shapes.AroundAxis(x.ShapeArray, ax);
        int[] shape = ReducedShape(x.ShapeArray, ax, keepDim);
        var y = Tensor.Uninitialized(shape);
        float scale = mean ? 1f / size : 1f;
        ReadOnlySpan<float> xs = x.Span;
        Span<float> ys = y.Span;
        for (int o = 0; o < outer; o++)
        {
            Span<float> dst = ys.Slice(o * inner, inner);
            if (inner == 1)
            {
                dst[0] = TensorPrimitives.Sum(xs.Slice(o * size, size)) * scale;
                continue;
            }
            xs.Slice(o * size * inner, inner).CopyTo(dst);
            for (int s = 1; s < size; s++) TensorPrimitives.Add(dst, xs.Slice((o * size + s) * inner, inner), dst);
            if (mean) TensorPrimitives.Multiply(dst, scale, dst);
        }
        return GradFn.Record(y, GradFn.Needed(x) ? new SumAxisGrad(x, outer, size, inner, scale) : null);
    }

    private static int[] ReducedShape(int[] shape, int axis, bool keepDim)
    {
        if (keepDim)
        {
            var kept = (int[])shape.Clone();
            kept[axis] = 1;
            return kept;
        }
        var dropped = new int[shape.Length - 1];
        for (int i = 0, j = 0; i < shape.Length; i++)
            if (i != axis) dropped[j++] = shape[i];
        return dropped;
    }

    private sealed class SumAxisGrad(Tensor x, int outer, int size, int inner, float scale) : GradFn(x)
    {
        public override void Backward(Tensor output, ReadOnlySpan<float> g)
        {
            using var w = GradWriter.For(x);
            Span<float> d = w.Target;
            for (int o = 0; o < outer; o++)
            {
                ReadOnlySpan<float> src = g.Slice(o * inner, inner);
                for (int s = 0; s < size; s++)
                {
                    Span<float> dst = d.Slice((o * size + s) * inner, inner);
                    if (inner == 1) dst[0] = src[0] * scale;
                    else TensorPrimitives.Multiply(src, scale, dst);
                }
            }
        }
    }
}
