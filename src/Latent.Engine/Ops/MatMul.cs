using Latent.Engine.Autograd;
using Latent.Engine.Kernels.Gemm;

namespace Latent.Engine;

public static partial class Ops
{
    /// <summary>
    /// Matrix product op(a)·op(b) of 2-D tensors, where op transposes when asked:
    /// a: [m, k] (or [k, m] with <paramref name="transposeA"/>), b: [k, n] (or [n, k]), result: [m, n].
    /// Transposing is free: the kernel reads the stored layout directly.
    /// </summary>
    public static Tensor MatMul(Tensor a, Tensor b, bool transposeA = false, bool transposeB = false)
    {
        if (a.Rank != 2 || b.Rank != 2)
            throw new ArgumentException($"MatMul needs 2-D tensors; got shapes {Shapes.Format(a.ShapeArray)} and {Shapes.Format(b.ShapeArray)}.");
        int m = transposeA ? a.Dim(1) : a.Dim(0), k = transposeA ? a.Dim(0) : a.Dim(1);
        int kb = transposeB ? b.Dim(1) : b.Dim(0), n = transposeB ? b.Dim(0) : b.Dim(1);
        if (k != kb)
            throw new ArgumentException(
                $"MatMul: shapes {Shapes.Format(a.ShapeArray)}{(transposeA ? "ᵀ" : "")} and {Shapes.Format(b.ShapeArray)}{(transposeB ? "ᵀ" : "")} do not match (inner sizes {k} and {kb}).");
        var y = Tensor.Uninitialized([m, n]);
        Gemm.Multiply(m, n, k, a.Span, transposeA, b.Span, transposeB, y.Span, accumulate: false);
        return GradFn.Record(y, GradFn.Needed(a, b) ? new MatMulGrad(a, b, transposeA, transposeB, m, n, k) : null);
    }

    private sealed class MatMulGrad(Tensor a, Tensor b, bool ta, bool tb, int m, int n, int k) : GradFn(a, b)
    {
        public override void Backward(Tensor output, ReadOnlySpan<float> g)
        {
            if (a.TracksGrad)
            {
                Span<float> ga = a.GradTarget(out bool acc);
                if (!ta) Gemm.Multiply(m, k, n, g, false, b.Span, !tb, ga, acc);  // dA = G·op(B)ᵀ
                else Gemm.Multiply(k, m, n, b.Span, tb, g, true, ga, acc);        // dAₛ = op(B)·Gᵀ
            }
            if (b.TracksGrad)
            {
                Span<float> gb = b.GradTarget(out bool acc);
                if (!tb) Gemm.Multiply(k, n, m, a.Span, !ta, g, false, gb, acc);  // dB = op(A)ᵀ·G
                else Gemm.Multiply(n, k, m, g, true, a.Span, ta, gb, acc);        // dBₛ = Gᵀ·op(A)
            }
        }
    }

    /// <summary>
    /// The fully connected layer y = f(x·Wᵀ + bias) in one fused kernel: the bias and the activation are
    /// applied to each block of the product while it is still in cache.
    /// x: [batch, in], weight: [out, in], bias: [out] or null, result: [batch, out].
    /// <paramref name="parameter"/> is the leaky-relu slope or elu alpha (NaN: the default).
    /// </summary>
    public static unsafe Tensor Linear(Tensor x, Tensor weight, Tensor? bias, Activation activation = Activation.Identity,
        float parameter = float.NaN)
    {
        if (x.Rank != 2 || weight.Rank != 2 || x.Dim(1) != weight.Dim(1))
            throw new ArgumentException(
                $"Linear: input {Shapes.Format(x.ShapeArray)} does not match weight {Shapes.Format(weight.ShapeArray)}; expected input [batch, {(weight.Rank == 2 ? weight.Dim(1) : '?')}] and weight [out, in].");
        int batch = x.Dim(0), inputs = x.Dim(1), outputs = weight.Dim(0);
        if (bias is not null && (bias.Rank != 1 || bias.Dim(0) != outputs))
            throw new ArgumentException($"Linear: bias {Shapes.Format(bias.ShapeArray)} does not match weight {Shapes.Format(weight.ShapeArray)}; expected [{outputs}].");
        if (float.IsNaN(parameter)) parameter = Kernels.Elementwise.ActivationKernels.DefaultParameter(activation);

        // Softplus's derivative needs its input, so that one activation runs after the product, not fused.
        bool fuse = !Kernels.Elementwise.ActivationKernels.BackwardNeedsInput(activation);
        var y = Tensor.Uninitialized([batch, outputs]);
        fixed (float* pb = bias is null ? default : bias.Span)
        {
            var epilogue = new GemmEpilogue(pb, fuse ? activation : Activation.Identity, parameter);
            Gemm.Multiply(batch, outputs, inputs, x.Span, false, weight.Span, true, y.Span, accumulate: false, epilogue);
        }
        bool record = GradMode.IsEnabled && (x.TracksGrad || weight.TracksGrad || (bias?.TracksGrad ?? false));
        Tensor result = GradFn.Record(y, record ? new LinearGrad(x, weight, bias, fuse ? activation : Activation.Identity, parameter) : null);
        return fuse ? result : Activate(result, activation, parameter);
    }

    private sealed class LinearGrad(Tensor x, Tensor weight, Tensor? bias, Activation activation, float parameter)
        : GradFn(bias is null ? [x, weight] : [x, weight, bias])
    {
        public override void Backward(Tensor output, ReadOnlySpan<float> g)
        {
            int batch = x.Dim(0), inputs = x.Dim(1), outputs = weight.Dim(0);
            float[]? scratch = null;
            ReadOnlySpan<float> dz = g;   // gradient before the activation
            if (activation != Activation.Identity)
            {
                scratch = TensorPool.Rent(output.Length);
                Span<float> d = scratch.AsSpan(0, output.Length);
                Kernels.Elementwise.ActivationKernels.Backward(activation, parameter, default, output.Span, g, d);
                dz = d;
            }
            if (x.TracksGrad)
                Gemm.Multiply(batch, inputs, outputs, dz, false, weight.Span, false, x.GradTarget(out bool acc), acc);
            if (weight.TracksGrad)
                Gemm.Multiply(outputs, inputs, batch, dz, true, x.Span, false, weight.GradTarget(out bool acc), acc);
            if (bias is not null && bias.TracksGrad)
            {
                using var w = GradWriter.For(bias);
                SumRows(dz, batch, outputs, w.Target);
            }
            if (scratch is not null) TensorPool.Return(scratch);
        }
    }

    /// <summary>dst[j] = Σᵢ m[i, j] for a row-major [rows, cols] matrix.</summary>
    private static void SumRows(ReadOnlySpan<float> m, int rows, int cols, Span<float> dst)
    {
        dst.Clear();
        for (int i = 0; i < rows; i++)
            System.Numerics.Tensors.TensorPrimitives.Add(dst, m.Slice(i * cols, cols), dst);
    }
}
