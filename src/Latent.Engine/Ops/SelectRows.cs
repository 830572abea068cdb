using System.Numerics.Tensors;
using Latent.Engine.Autograd;
using Latent.Engine.Diagnostics;

namespace Latent.Engine;

public static partial class Ops
{
    /// <summary>
    /// The rows of x at the given indices, in that order (repeats allowed): x: [rows, ...] → [indices, ...].
    /// Used to assemble mini-batches and to look up embeddings; the gradient adds back into the chosen rows.
    /// </summary>
    public static Tensor SelectRows(Tensor x, ReadOnlySpan<int> indices)
    {
        using var profile = StepProfiler.Measure(WorkKind.Elementwise);
        if (x.Rank == 0) throw new ArgumentException("SelectRows needs a tensor with at least one dimension.");
        int rows = x.Dim(0), width = rows == 0 ? 0 : x.Length / rows;
        var shape = (int[])x.ShapeArray.Clone();
        shape[0] = indices.Length;
        var y = Tensor.Uninitialized(shape);
        ReadOnlySpan<float> xs = x.Span;
        Span<float> ys = y.Span;
        for (int i = 0; i < indices.Length; i++)
        {
            int r = indices[i];
            if ((uint)r >= (uint)rows) throw new ArgumentException($"SelectRows: row {r} is outside 0..{rows - 1} of shape {Shapes.Format(x.ShapeArray)}.");
            xs.Slice(r * width, width).CopyTo(ys.Slice(i * width, width));
        }
        return GradFn.Record(y, GradFn.Needed(x) ? new SelectRowsGrad(x, indices.ToArray(), width) : null);
    }

    private sealed class SelectRowsGrad(Tensor x, int[] indices, int width) : GradFn(x)
    {
        public override void Backward(Tensor output, ReadOnlySpan<float> g)
        {
            using var w = GradWriter.For(x);
            Span<float> d = w.Target;
            d.Clear();
            for (int i = 0; i < indices.Length; i++)
            {
                Span<float> row = d.Slice(indices[i] * width, width);
                TensorPrimitives.Add(row, g.Slice(i * width, width), row);
            }
        }
    }
}
