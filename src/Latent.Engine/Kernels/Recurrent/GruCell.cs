using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Latent.Engine.Kernels.Recurrent;

/// <summary>
/// One GRU step for a block of rows, after the matrix products (PyTorch's formulation and gate order r, z, n):
/// r = σ(xᵣ + hᵣ), z = σ(x_z + h_z), n = tanh(xₙ + r·hₙ), h' = n + z·(h − n), where x… are the input projections
/// (with the input bias) and h… the hidden projections (with the hidden bias), each 3 × size per row.
/// </summary>
internal static class GruCell
{
    /// <summary>Replaces <paramref name="inputGates"/> by the activations r, z, n and writes the new hidden state.</summary>
    public static void Forward(Span<float> inputGates, ReadOnlySpan<float> hiddenGates, ReadOnlySpan<float> hiddenPrevious,
        Span<float> hidden, int rows, int size)
    {
        for (int r = 0; r < rows; r++)
        {
            ref float xr = ref Row(inputGates, r, size, 0);
            ref float xz = ref Row(inputGates, r, size, 1);
            ref float xn = ref Row(inputGates, r, size, 2);
            ref float hr = ref Row(hiddenGates, r, size, 0);
            ref float hz = ref Row(hiddenGates, r, size, 1);
            ref float hn = ref Row(hiddenGates, r, size, 2);
            ref float hp = ref MemoryMarshal.GetReference(hiddenPrevious.Slice(r * size, size));
            ref float h = ref MemoryMarshal.GetReference(hidden.Slice(r * size, size));
            int j = 0;
            for (; j <= size - 8; j += 8)
            {
                nuint u = (nuint)j;
                Vector256<float> rv = GateMath.Sigmoid(Vector256.LoadUnsafe(ref xr, u) + Vector256.LoadUnsafe(ref hr, u));
                Vector256<float> zv = GateMath.Sigmoid(Vector256.LoadUnsafe(ref xz, u) + Vector256.LoadUnsafe(ref hz, u));
                Vector256<float> nv = GateMath.Tanh(Vector256.FusedMultiplyAdd(rv, Vector256.LoadUnsafe(ref hn, u), Vector256.LoadUnsafe(ref xn, u)));
                rv.StoreUnsafe(ref xr, u);
                zv.StoreUnsafe(ref xz, u);
                nv.StoreUnsafe(ref xn, u);
                Vector256.FusedMultiplyAdd(zv, Vector256.LoadUnsafe(ref hp, u) - nv, nv).StoreUnsafe(ref h, u);
            }
            for (; j < size; j++)
            {
                int x = r * 3 * size + j;
                float rv = GateMath.Sigmoid(inputGates[x] + hiddenGates[x]);
                float zv = GateMath.Sigmoid(inputGates[x + size] + hiddenGates[x + size]);
                float nv = GateMath.Tanh(MathF.FusedMultiplyAdd(rv, hiddenGates[x + 2 * size], inputGates[x + 2 * size]));
                inputGates[x] = rv;
                inputGates[x + size] = zv;
                inputGates[x + 2 * size] = nv;
                hidden[r * size + j] = MathF.FusedMultiplyAdd(zv, hiddenPrevious[r * size + j] - nv, nv);
            }
        }
    }

    /// <summary>
    /// Given the step's total hidden gradient dh, turns the activations in <paramref name="inputGates"/> into the
    /// gradients of the input projections and <paramref name="hiddenGates"/> into those of the hidden projections, and
    /// writes the part of dL/dh₋₁ that does not pass through the hidden projections (dh·z).
    /// </summary>
    public static void Backward(Span<float> inputGates, Span<float> hiddenGates, ReadOnlySpan<float> hiddenPrevious,
        ReadOnlySpan<float> hiddenGradient, Span<float> previousGradient, int rows, int size)
    {
        var one = Vector256<float>.One;
        for (int r = 0; r < rows; r++)
        {
            ref float xr = ref Row(inputGates, r, size, 0);
            ref float xz = ref Row(inputGates, r, size, 1);
            ref float xn = ref Row(inputGates, r, size, 2);
            ref float hr = ref Row(hiddenGates, r, size, 0);
            ref float hz = ref Row(hiddenGates, r, size, 1);
            ref float hn = ref Row(hiddenGates, r, size, 2);
            ref float hp = ref MemoryMarshal.GetReference(hiddenPrevious.Slice(r * size, size));
            ref float dh = ref MemoryMarshal.GetReference(hiddenGradient.Slice(r * size, size));
            ref float dp = ref MemoryMarshal.GetReference(previousGradient.Slice(r * size, size));
            int j = 0;
            for (; j <= size - 8; j += 8)
            {
                nuint u = (nuint)j;
                Vector256<float> rv = Vector256.LoadUnsafe(ref xr, u), zv = Vector256.LoadUnsafe(ref xz, u);
                Vector256<float> nv = Vector256.LoadUnsafe(ref xn, u), d = Vector256.LoadUnsafe(ref dh, u);
                Vector256<float> dz = d * (Vector256.LoadUnsafe(ref hp, u) - nv) * zv * (one - zv);
                Vector256<float> dn = d * (one - zv) * (one - nv * nv);
                Vector256<float> dr = dn * Vector256.LoadUnsafe(ref hn, u) * rv * (one - rv);
                dr.StoreUnsafe(ref xr, u);
                dz.StoreUnsafe(ref xz, u);
                dn.StoreUnsafe(ref xn, u);
                dr.StoreUnsafe(ref hr, u);
                dz.StoreUnsafe(ref hz, u);
                (dn * rv).StoreUnsafe(ref hn, u);
                (d * zv).StoreUnsafe(ref dp, u);
            }
            for (; j < size; j++)
            {
                int x = r * 3 * size + j;
                float rv = inputGates[x], zv = inputGates[x + size], nv = inputGates[x + 2 * size], d = hiddenGradient[r * size + j];
                float dz = d * (hiddenPrevious[r * size + j] - nv) * zv * (1f - zv);
                float dn = d * (1f - zv) * (1f - nv * nv);
                float dr = dn * hiddenGates[x + 2 * size] * rv * (1f - rv);
                inputGates[x] = dr;
                inputGates[x + size] = dz;
                inputGates[x + 2 * size] = dn;
                hiddenGates[x] = dr;
                hiddenGates[x + size] = dz;
                hiddenGates[x + 2 * size] = dn * rv;
                previousGradient[r * size + j] = d * zv;
            }
        }
    }

    /// <summary>Gate <paramref name="gate"/> of row <paramref name="row"/> in a [rows, 3·size] block.</summary>
    private static ref float Row(Span<float> gates, int row, int size, int gate) =>
        ref MemoryMarshal.GetReference(gates.Slice((row * 3 + gate) * size, size));

    private static ref float Row(ReadOnlySpan<float> gates, int row, int size, int gate) =>
        ref MemoryMarshal.GetReference(gates.Slice((row * 3 + gate) * size, size));
}
