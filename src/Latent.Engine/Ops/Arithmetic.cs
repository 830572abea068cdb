using System.Numerics.Tensors;
using Latent.Engine.Autograd;
using Latent.Engine.Diagnostics;

namespace Latent.Engine;

/// <summary>Differentiable tensor operations. Each family of operations lives in its own file.</summary>
public static partial class Ops
{
    private enum BinaryKind { Add, Subtract, Multiply, Divide }

    /// <summary>a + b with broadcasting (e.g. [N, D] + [D] adds a bias to every row).</summary>
    public static Tensor Add(Tensor a, Tensor b) => Binary(BinaryKind.Add, a, b, "Add");

    /// <summary>a − b with broadcasting.</summary>
    public static Tensor Subtract(Tensor a, Tensor b) => Binary(BinaryKind.Subtract, a, b, "Subtract");

    /// <summary>a · b element-wise with broadcasting.</summary>
    public static Tensor Multiply(Tensor a, Tensor b) => Binary(BinaryKind.Multiply, a, b, "Multiply");

    /// <summary>a / b element-wise with broadcasting; division by zero gives ±∞ or NaN as in IEEE arithmetic.</summary>
    public static Tensor Divide(Tensor a, Tensor b) => Binary(BinaryKind.Divide, a, b, "Divide");

    private static Tensor Binary(BinaryKind kind, Tensor a, Tensor b, string name)
    {
        using var profile = StepProfiler.Measure(WorkKind.Elementwise);
        var plan = BroadcastPlan.Create(a.ShapeArray, b.ShapeArray, name);
        var y = Tensor.Uninitialized(plan.OutputShape);
        ComputeBinary(kind, plan, a.Span, b.Span, y.Span);
        return GradFn.Record(y, GradFn.Needed(a, b) ? new BinaryGrad(kind, a, b, plan) : null);
    }

    private static void ComputeBinary(BinaryKind kind, in BroadcastPlan plan, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y)
    {
        int n = plan.RunLength, runs = plan.RunCount;
        for (int r = 0; r < runs; r++)
        {
            var (oa, ob) = plan.RunOffsets(r);
            Span<float> dst = y.Slice(r * n, n);
            if (plan.RunStrideA == 1 && plan.RunStrideB == 1)
            {
                ReadOnlySpan<float> x = a.Slice(oa, n), z = b.Slice(ob, n);
                switch (kind)
                {
                    case BinaryKind.Add: TensorPrimitives.Add(x, z, dst); break;
                    case BinaryKind.Subtract: TensorPrimitives.Subtract(x, z, dst); break;
                    case BinaryKind.Multiply: TensorPrimitives.Multiply(x, z, dst); break;
                    default: TensorPrimitives.Divide(x, z, dst); break;
                }
            }
            else if (plan.RunStrideA == 1)
            {
                ReadOnlySpan<float> x = a.Slice(oa, n);
                float z = b[ob];
                switch (kind)
                {
                    case BinaryKind.Add: TensorPrimitives.Add(x, z, dst); break;
                    case BinaryKind.Subtract: TensorPrimitives.Subtract(x, z, dst); break;
                    case BinaryKind.Multiply: TensorPrimitives.Multiply(x, z, dst); break;
                    default: TensorPrimitives.Divide(x, z, dst); break;
                }
            }
            else
            {
                float x = a[oa];
                ReadOnlySpan<float> z = b.Slice(ob, n);
                switch (kind)
                {
                    case BinaryKind.Add: TensorPrimitives.Add(z, x, dst); break;
                    case BinaryKind.Subtract: TensorPrimitives.Subtract(x, z, dst); break;
                    case BinaryKind.Multiply: TensorPrimitives.Multiply(z, x, dst); break;
                    default: TensorPrimitives.Divide(x, z, dst); break;
                }
            }
        }
    }

    /// <summary>
    /// dst = g summed over the dimensions that the operand was broadcast along (its stride is 0 there).
    /// <paramref name="forA"/> picks which operand of <paramref name="plan"/> dst belongs to.
    /// </summary>
    private static void SumToOperand(in BroadcastPlan plan, bool forA, ReadOnlySpan<float> g, Span<float> dst)
    {
        if (dst.Length == g.Length)
        {
            g.CopyTo(dst);
            return;
        }
        dst.Clear();
        int n = plan.RunLength, runs = plan.RunCount;
        int runStride = forA ? plan.RunStrideA : plan.RunStrideB;
        for (int r = 0; r < runs; r++)
        {
            var (oa, ob) = plan.RunOffsets(r);
            int o = forA ? oa : ob;
            ReadOnlySpan<float> run = g.Slice(r * n, n);
            if (runStride == 1) TensorPrimitives.Add(dst.Slice(o, n), run, dst.Slice(o, n));
            else dst[o] += TensorPrimitives.Sum(run);
        }
    }

    private sealed class BinaryGrad(BinaryKind kind, Tensor a, Tensor b, BroadcastPlan plan) : GradFn(a, b)
    {
        public override void Backward(Tensor output, ReadOnlySpan<float> g)
        {
            if (a.TracksGrad) GradA(output, g);
            if (b.TracksGrad) GradB(output, g);
        }

        private void GradA(Tensor output, ReadOnlySpan<float> g)
        {
            using var w = GradWriter.For(a);
            if (kind is BinaryKind.Add or BinaryKind.Subtract)
            {
                SumToOperand(plan, forA: true, g, w.Target);
                return;
            }
            // Multiply: g·b; Divide: g / b — then summed over a's broadcast dimensions.
            var planGB = BroadcastPlan.Create(plan.OutputShape, b.ShapeArray, "backward");
            BinaryKind k = kind == BinaryKind.Multiply ? BinaryKind.Multiply : BinaryKind.Divide;
            if (a.Length == output.Length)
            {
                ComputeBinary(k, planGB, g, b.Span, w.Target);
                return;
            }
            float[] tmp = TensorPool.Rent(output.Length);
            ComputeBinary(k, planGB, g, b.Span, tmp.AsSpan(0, output.Length));
            SumToOperand(plan, forA: true, tmp.AsSpan(0, output.Length), w.Target);
            TensorPool.Return(tmp);
        }

        private void GradB(Tensor output, ReadOnlySpan<float> g)
        {
            using var w = GradWriter.For(b);
            if (kind == BinaryKind.Add)
            {
                SumToOperand(plan, forA: false, g, w.Target);
                return;
            }
            if (kind == BinaryKind.Subtract)
            {
                SumToOperand(plan, forA: false, g, w.Target);
                TensorPrimitives.Negate(w.Target, w.Target);
                return;
            }
            float[] tmp = TensorPool.Rent(output.Length);
            Span<float> t = tmp.AsSpan(0, output.Length);
            if (kind == BinaryKind.Multiply)
            {
                var planGA = BroadcastPlan.Create(plan.OutputShape, a.ShapeArray, "backward");
                ComputeBinary(BinaryKind.Multiply, planGA, g, a.Span, t);   // g·a
            }
            else
            {
                // d(a/b)/db = −a/b² = −y/b
                TensorPrimitives.Multiply(g, output.Span, t);
                var planTB = BroadcastPlan.Create(plan.OutputShape, b.ShapeArray, "backward");
                ComputeBinary(BinaryKind.Divide, planTB, t, b.Span, t);
                TensorPrimitives.Negate(t, t);
            }
            SumToOperand(plan, forA: false, t, w.Target);
            TensorPool.Return(tmp);
        }
    }

    /// <summary>x + c for a constant c.</summary>
    public static Tensor AddScalar(Tensor x, float c)
    {
        var y = Tensor.UninitializedLike(x);
        TensorPrimitives.Add(x.Span, c, y.Span);
        return GradFn.Record(y, GradFn.Needed(x) ? new ScaleGrad(x, 1f) : null);
    }

    /// <summary>c · x for a constant c.</summary>
    public static Tensor Scale(Tensor x, float c)
    {
        var y = Tensor.UninitializedLike(x);
        TensorPrimitives.Multiply(x.Span, c, y.Span);
        return GradFn.Record(y, GradFn.Needed(x) ? new ScaleGrad(x, c) : null);
    }

    private sealed class ScaleGrad(Tensor x, float c) : GradFn(x)
    {
        public override void Backward(Tensor output, ReadOnlySpan<float> g)
        {
            using var w = GradWriter.For(x);
            TensorPrimitives.Multiply(g, c, w.Target);
        }
    }
}
