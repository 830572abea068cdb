using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Latent.Engine.Kernels.Recurrent;

/// <summary>
/// One LSTM step for a block of rows, after the matrix products: gates hold each row's pre-activations [i f g o]
/// (4 × size, PyTorch's order). c = σ(f)·c₋₁ + σ(i)·tanh(g), h = σ(o)·tanh(c). Each lane is independent, so the
/// 8-lane loop and the one-lane tail give the same value for a lane whatever the size.
/// </summary>
internal static class LstmCell
{
    /// <summary>
    /// Replaces <paramref name="gates"/> by the activated gates and writes c, tanh(c) and h.
    /// </summary>
    public static void Forward(Span<float> gates, ReadOnlySpan<float> cellPrevious, Span<float> cell, Span<float> cellTanh,
        Span<float> hidden, int rows, int size)
    {
        for (int r = 0; r < rows; r++)
        {
            Span<float> g = gates.Slice(r * 4 * size, 4 * size);
            ref float gi = ref MemoryMarshal.GetReference(g);
            ref float gf = ref Unsafe(g, size);
            ref float gg = ref Unsafe(g, 2 * size);
            ref float go = ref Unsafe(g, 3 * size);
            ref float cp = ref MemoryMarshal.GetReference(cellPrevious.Slice(r * size, size));
            ref float c = ref MemoryMarshal.GetReference(cell.Slice(r * size, size));
            ref float tc = ref MemoryMarshal.GetReference(cellTanh.Slice(r * size, size));
            ref float h = ref MemoryMarshal.GetReference(hidden.Slice(r * size, size));
            int j = 0;
            for (; j <= size - 8; j += 8)
            {
                nuint u = (nuint)j;
                Vector256<float> i = GateMath.Sigmoid(Vector256.LoadUnsafe(ref gi, u));
                Vector256<float> f = GateMath.Sigmoid(Vector256.LoadUnsafe(ref gf, u));
                Vector256<float> n = GateMath.Tanh(Vector256.LoadUnsafe(ref gg, u));
                Vector256<float> o = GateMath.Sigmoid(Vector256.LoadUnsafe(ref go, u));
                Vector256<float> previous = Vector256.LoadUnsafe(ref cp, u);
                Vector256<float> cv = Vector256.FusedMultiplyAdd(f, previous, i * n);
                Vector256<float> t = GateMath.Tanh(cv);
                i.StoreUnsafe(ref gi, u);
                f.StoreUnsafe(ref gf, u);
                n.StoreUnsafe(ref gg, u);
                o.StoreUnsafe(ref go, u);
                cv.StoreUnsafe(ref c, u);
                t.StoreUnsafe(ref tc, u);
                (o * t).StoreUnsafe(ref h, u);
            }
            for (; j < size; j++)
            {
                float i = GateMath.Sigmoid(g[j]), f = GateMath.Sigmoid(g[size + j]);
                float n = GateMath.Tanh(g[2 * size + j]), o = GateMath.Sigmoid(g[3 * size + j]);
                float cv = MathF.FusedMultiplyAdd(f, cellPrevious[r * size + j], i * n);
                float t = GateMath.Tanh(cv);
                g[j] = i; g[size + j] = f; g[2 * size + j] = n; g[3 * size + j] = o;
                cell[r * size + j] = cv;
                cellTanh[r * size + j] = t;
                hidden[r * size + j] = o * t;
            }
        }
    }

    /// <summary>
    /// Turns the activated <paramref name="gates"/> into the gradients of their pre-activations, given the step's total
    /// hidden gradient dh; <paramref name="cellGradient"/> enters as dL/dc from the later steps and leaves as dL/dc₋₁.
    /// </summary>
    public static void Backward(Span<float> gates, ReadOnlySpan<float> cellPrevious, ReadOnlySpan<float> cellTanh,
        ReadOnlySpan<float> hiddenGradient, Span<float> cellGradient, int rows, int size)
    {
        var one = Vector256<float>.One;
        for (int r = 0; r < rows; r++)
        {
            Span<float> g = gates.Slice(r * 4 * size, 4 * size);
            ref float gi = ref MemoryMarshal.GetReference(g);
            ref float gf = ref Unsafe(g, size);
            ref float gg = ref Unsafe(g, 2 * size);
            ref float go = ref Unsafe(g, 3 * size);
            ref float cp = ref MemoryMarshal.GetReference(cellPrevious.Slice(r * size, size));
            ref float tc = ref MemoryMarshal.GetReference(cellTanh.Slice(r * size, size));
            ref float dh = ref MemoryMarshal.GetReference(hiddenGradient.Slice(r * size, size));
            ref float dc = ref MemoryMarshal.GetReference(cellGradient.Slice(r * size, size));
            int j = 0;
            for (; j <= size - 8; j += 8)
            {
                nuint u = (nuint)j;
                Vector256<float> i = Vector256.LoadUnsafe(ref gi, u), f = Vector256.LoadUnsafe(ref gf, u);
                Vector256<float> n = Vector256.LoadUnsafe(ref gg, u), o = Vector256.LoadUnsafe(ref go, u);
                Vector256<float> t = Vector256.LoadUnsafe(ref tc, u), h = Vector256.LoadUnsafe(ref dh, u);
                Vector256<float> previous = Vector256.LoadUnsafe(ref cp, u);
                Vector256<float> dcv = Vector256.LoadUnsafe(ref dc, u) + h * o * (one - t * t);
                (h * t * o * (one - o)).StoreUnsafe(ref go, u);
                (dcv * n * i * (one - i)).StoreUnsafe(ref gi, u);
                (dcv * i * (one - n * n)).StoreUnsafe(ref gg, u);
                (dcv * previous * f * (one - f)).StoreUnsafe(ref gf, u);
                (dcv * f).StoreUnsafe(ref dc, u);
            }
            for (; j < size; j++)
            {
                float i = g[j], f = g[size + j], n = g[2 * size + j], o = g[3 * size + j];
                float t = cellTanh[r * size + j], h = hiddenGradient[r * size + j];
                float previous = cellPrevious[r * size + j];
                float dcv = cellGradient[r * size + j] + h * o * (1f - t * t);
                g[3 * size + j] = h * t * o * (1f - o);
                g[j] = dcv * n * i * (1f - i);
                g[2 * size + j] = dcv * i * (1f - n * n);
                g[size + j] = dcv * previous * f * (1f - f);
                cellGradient[r * size + j] = dcv * f;
            }
        }
    }

    private static ref float Unsafe(Span<float> span, int offset) => ref MemoryMarshal.GetReference(span.Slice(offset));
}
