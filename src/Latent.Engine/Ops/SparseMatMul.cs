using System.Numerics.Tensors;
using Latent.Engine.Autograd;

namespace Latent.Engine;

public static partial class Ops
{
    /// <summary>
    /// The product x·w of a sparse matrix x: [n, in] and a dense w: [in, out], as [n, out]: each stored entry (r, c, v)
    /// adds v·w[c, :] to row r, so the cost is the number of entries times out, never n·in·out. The gradient flows
    /// to w only (x is data): dw[c, :] += v·g[r, :]. This is the first layer of a network whose input is a sparse row
    /// (ratings, interactions); w is stored [in, out] so that both passes read and write whole rows.
    /// </summary>
    /// <exception cref="ArgumentException">w is not [x.Columns, out].</exception>
    public static Tensor SparseMatMul(SparseMatrix x, Tensor w)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (w.Rank != 2 || w.Dim(0) != x.Columns)
            throw new ArgumentException($"SparseMatMul: a sparse [{x.Rows}, {x.Columns}] matrix needs a weight [{x.Columns}, out]; got {Shapes.Format(w.ShapeArray)}.");
        int outputs = w.Dim(1);
        var y = Tensor.Zeros(x.Rows, outputs);
        float[] ys = y.Storage, ws = w.Storage;
        int[] starts = x.RowStartArray, columns = x.ColumnArray;
        float[] values = x.ValueArray;
        SparseSlices.For(x.Rows, (long)x.NonZeros * outputs, (first, end) =>
        {
            for (int r = first; r < end; r++)
            {
                Span<float> row = ys.AsSpan(r * outputs, outputs);
                for (int e = starts[r]; e < starts[r + 1]; e++)
                    TensorPrimitives.MultiplyAdd(ws.AsSpan(columns[e] * outputs, outputs), values[e], row, row);
            }
        });
        return GradFn.Record(y, GradFn.Needed(w) ? new SparseMatMulGrad(x, w) : null);
    }

    private sealed class SparseMatMulGrad(SparseMatrix x, Tensor w) : GradFn(w)
    {
        public override void Backward(Tensor output, ReadOnlySpan<float> g)
        {
            int outputs = w.Dim(1);
            Span<float> target = w.GradTarget(out bool accumulate);
            if (!accumulate) target.Clear();
            float[] gradient = w.Grad!.Storage, gs = TensorPool.Rent(g.Length);
            g.CopyTo(gs);
            int[] starts = x.RowStartArray, columns = x.ColumnArray;
            float[] values = x.ValueArray;
            // Rows of w are written by whichever rows of x use them, so threads split the output width instead.
            SparseSlices.For(outputs, (long)x.NonZeros * outputs, (first, end) =>
            {
                int width = end - first;
                for (int r = 0; r < x.Rows; r++)
                {
                    ReadOnlySpan<float> gr = gs.AsSpan(r * outputs + first, width);
                    for (int e = starts[r]; e < starts[r + 1]; e++)
                    {
                        Span<float> dw = gradient.AsSpan(columns[e] * outputs + first, width);
                        TensorPrimitives.MultiplyAdd(gr, values[e], dw, dw);
                    }
                }
            });
            TensorPool.Return(gs);
        }
    }
}
