using System.Numerics.Tensors;
using Latent.Engine.Autograd;

namespace Latent.Engine;

public static partial class Ops
{
    /// <summary>
    /// Chosen entries of the fully connected layer h·Wᵀ + b without computing the rest: y[e] = h[rows[e], :]·W[columns[e], :]
    /// + b[columns[e]]. h: [n, k], weight: [out, k] (as <see cref="Linear(Tensor, Tensor, Tensor?, Activation, float)"/>),
    /// bias: [out] or null, result: [pairs]. A loss that counts only observed cells (ratings, sampled negatives) needs
    /// only these, at a cost of pairs·k instead of n·out·k. Gradients flow to h, the weight and the bias.
    /// </summary>
    /// <exception cref="ArgumentException">The shapes do not match, the index lists differ in length, or an index is out of range.</exception>
    public static Tensor SampledLinear(Tensor h, Tensor weight, Tensor? bias, ReadOnlySpan<int> rows, ReadOnlySpan<int> columns)
    {
        if (h.Rank != 2 || weight.Rank != 2 || h.Dim(1) != weight.Dim(1))
            throw new ArgumentException($"SampledLinear: input {Shapes.Format(h.ShapeArray)} does not match weight {Shapes.Format(weight.ShapeArray)}; expected [n, k] and [out, k].");
        int n = h.Dim(0), k = h.Dim(1), outputs = weight.Dim(0);
        if (bias is not null && (bias.Rank != 1 || bias.Dim(0) != outputs))
            throw new ArgumentException($"SampledLinear: bias {Shapes.Format(bias.ShapeArray)} does not match weight {Shapes.Format(weight.ShapeArray)}; expected [{outputs}].");
        if (rows.Length != columns.Length) throw new ArgumentException($"SampledLinear: {rows.Length} row indices but {columns.Length} column indices.");
        for (int e = 0; e < rows.Length; e++)
            if ((uint)rows[e] >= (uint)n || (uint)columns[e] >= (uint)outputs)
                throw new ArgumentException($"SampledLinear: pair {e} ({rows[e]}, {columns[e]}) is outside [{n}, {outputs}].");

        int[] r = rows.ToArray(), c = columns.ToArray();
        var y = Tensor.Uninitialized([r.Length]);
        float[] ys = y.Storage, hs = h.Storage, ws = weight.Storage;
        float[]? bs = bias?.Storage;
        SparseSlices.For(r.Length, (long)r.Length * k, (first, end) =>
        {
            for (int e = first; e < end; e++)
                ys[e] = TensorPrimitives.Dot(hs.AsSpan(r[e] * k, k), ws.AsSpan(c[e] * k, k)) + (bs is null ? 0f : bs[c[e]]);
        });
        bool record = GradMode.IsEnabled && (h.TracksGrad || weight.TracksGrad || (bias?.TracksGrad ?? false));
        return GradFn.Record(y, record ? new SampledLinearGrad(h, weight, bias, r, c) : null);
    }

    private sealed class SampledLinearGrad(Tensor h, Tensor weight, Tensor? bias, int[] rows, int[] columns)
        : GradFn(bias is null ? [h, weight] : [h, weight, bias])
    {
        public override void Backward(Tensor output, ReadOnlySpan<float> g)
        {
            int k = h.Dim(1);
            float[] gs = g.ToArray(), hs = h.Storage, ws = weight.Storage;
            float[]? dh = Target(h), dw = Target(weight);
            // Both gradients scatter into rows chosen by the pairs, so threads split the inner width k instead.
            SparseSlices.For(k, (long)rows.Length * k * 2, (first, end) =>
            {
                int width = end - first;
                for (int e = 0; e < rows.Length; e++)
                {
                    int hr = rows[e] * k + first, wr = columns[e] * k + first;
                    if (dh is not null) TensorPrimitives.MultiplyAdd(ws.AsSpan(wr, width), gs[e], dh.AsSpan(hr, width), dh.AsSpan(hr, width));
                    if (dw is not null) TensorPrimitives.MultiplyAdd(hs.AsSpan(hr, width), gs[e], dw.AsSpan(wr, width), dw.AsSpan(wr, width));
                }
            });
            if (bias is not null && Target(bias) is { } db)
                for (int e = 0; e < rows.Length; e++) db[columns[e]] += gs[e];
        }

        /// <summary>The gradient storage of <paramref name="x"/> to add into (cleared first when it is new), or null when x needs none.</summary>
        private static float[]? Target(Tensor x)
        {
            if (!x.TracksGrad) return null;
            Span<float> target = x.GradTarget(out bool accumulate);
            if (!accumulate) target.Clear();
            return x.Grad!.Storage;
        }
    }
}
