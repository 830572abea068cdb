using Latent.Engine.Autograd;
using Latent.Engine.Diagnostics;

namespace Latent.Engine;

public static partial class Ops
{
    /// <summary>The same elements under another shape, sharing storage (free). One dimension may be −1 (inferred).</summary>
    public static Tensor Reshape(Tensor x, params int[] shape)
    {
        int[] resolved = ResolveShape(x, shape);
        var y = Tensor.ViewOf(x, resolved);
        return GradFn.Record(y, GradFn.Needed(x) ? new ReshapeGrad(x) : null);
    }

    private static int[] ResolveShape(Tensor x, int[] shape)
    {
        var resolved = (int[])shape.Clone();
        int unknown = Array.IndexOf(resolved, -1);
        if (unknown >= 0)
        {
            resolved[unknown] = 1;
            int known = Shapes.Product(Shapes.Validate(resolved));
            if (known == 0 || x.Length % known != 0)
                throw new ArgumentException($"Cannot reshape {Shapes.Format(x.ShapeArray)} to {Shapes.Format(shape)}.");
            resolved[unknown] = x.Length / known;
        }
        if (Shapes.Product(Shapes.Validate(resolved)) != x.Length)
            throw new ArgumentException($"Cannot reshape {Shapes.Format(x.ShapeArray)} ({x.Length} elements) to {Shapes.Format(shape)}.");
        return resolved;
    }

    private sealed class ReshapeGrad(Tensor x) : GradFn(x)
    {
        public override void Backward(Tensor output, ReadOnlySpan<float> g)
        {
            using var w = GradWriter.For(x);
            g.CopyTo(w.Target);
        }
    }

    /// <summary>Joins tensors along <paramref name="axis"/>; all other dimensions must agree.</summary>
    public static Tensor Concat(IReadOnlyList<Tensor> tensors, int axis)
    {
        using var profile = StepProfiler.Measure(WorkKind.Elementwise);
        if (tensors.Count == 0) throw new ArgumentException("Concat needs at least one tensor.");
        Tensor first = tensors[0];
        int ax = Shapes.NormalizeAxis(axis, first.Rank);
        int total = 0;
        foreach (Tensor t in tensors)
        {
            bool same = t.Rank == first.Rank;
            for (int i = 0; same && i < t.Rank; i++) same = i == ax || t.Dim(i) == first.Dim(i);
            if (!same) throw Shapes.Mismatch($"Concat along axis {axis}", first.ShapeArray, t.ShapeArray);
            total += t.Dim(ax);
        }
        var shape = (int[])first.ShapeArray.Clone();
        shape[ax] = total;
        var y = Tensor.Uninitialized(shape);
        var (outer, _, inner) = Shapes.AroundAxis(shape, ax);
        Span<float> ys = y.Span;
        int offset = 0; // position along the axis
        bool record = false;
        foreach (Tensor t in tensors)
        {
            int width = t.Dim(ax) * inner;
            ReadOnlySpan<float> ts = t.Span;
            for (int o = 0; o < outer; o++)
                ts.Slice(o * width, width).CopyTo(ys.Slice(o * total * inner + offset * inner, width));
            offset += t.Dim(ax);
            record |= GradFn.Needed(t);
        }
        return GradFn.Record(y, record ? new ConcatGrad([.. tensors], ax, outer, inner, total) : null);
    }

    private sealed class ConcatGrad(Tensor[] inputs, int axis, int outer, int inner, int total) : GradFn(inputs)
    {
        public override void Backward(Tensor output, ReadOnlySpan<float> g)
        {
            int offset = 0;
            foreach (Tensor t in Inputs)
            {
                int size = t.Dim(axis);
                if (t.TracksGrad)
                {
                    using var w = GradWriter.For(t);
                    CopyBlock(g, total, offset, w.Target, size, 0, size, outer, inner);
                }
                offset += size;
            }
        }
    }

    /// <summary>Elements start..start+length−1 along <paramref name="axis"/> (a copy).</summary>
    public static Tensor Slice(Tensor x, int axis, int start, int length) => Slice(x, axis, start, length, GradFn.Needed(x));

    /// <summary><see cref="Slice(Tensor, int, int, int)"/>, recording the gradient when <paramref name="record"/> whatever the grad mode now.</summary>
    internal static Tensor Slice(Tensor x, int axis, int start, int length, bool record)
    {
        using var profile = StepProfiler.Measure(WorkKind.Elementwise);
        int ax = Shapes.NormalizeAxis(axis, x.Rank);
        int size = x.Dim(ax);
        if (start < 0 || length < 0 || start + length > size)
            throw new ArgumentException($"Slice [{start}, {start + length}) is outside axis {axis} of shape {Shapes.Format(x.ShapeArray)}.");
        var shape = (int[])x.ShapeArray.Clone();
        shape[ax] = length;
        var y = Tensor.Uninitialized(shape);
        var (outer, _, inner) = Shapes.AroundAxis(x.ShapeArray, ax);
        CopyBlock(x.Span, size, start, y.Span, length, 0, length, outer, inner);
        return GradFn.Record(y, record ? new SliceGrad(x, ax, start, length, outer, inner) : null);
    }

    private sealed class SliceGrad(Tensor x, int axis, int start, int length, int outer, int inner) : GradFn(x)
    {
        public override void Backward(Tensor output, ReadOnlySpan<float> g)
        {
            using var w = GradWriter.For(x);
            w.Target.Clear();
            CopyBlock(g, length, 0, w.Target, x.Dim(axis), start, length, outer, inner);
        }
    }

    /// <summary>
    /// Copies <paramref name="count"/> positions along an axis, for every outer index: from a tensor whose
    /// axis has <paramref name="srcSize"/> positions (starting at <paramref name="srcStart"/>) to one whose
    /// axis has <paramref name="dstSize"/> (starting at <paramref name="dstStart"/>).
    /// </summary>
    private static void CopyBlock(ReadOnlySpan<float> src, int srcSize, int srcStart, Span<float> dst, int dstSize, int dstStart,
        int count, int outer, int inner)
    {
        int width = count * inner;
        for (int o = 0; o < outer; o++)
            src.Slice((o * srcSize + srcStart) * inner, width).CopyTo(dst.Slice((o * dstSize + dstStart) * inner, width));
    }
}
