using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Latent.Applications.Search;

/// <summary>
/// The inner loop of quantised search: scores <see cref="PanelScan.QueryBlock"/> queries against the byte codes of a
/// range of panels and offers each approximate score to that query's heap. A query becomes one signed byte per value
/// (<see cref="QuantizedQueries"/>), so a score is an exact integer dot product of bytes turned into a float by the
/// query's scale: with AVX-VNNI one instruction multiplies and sums four byte pairs in each of eight lanes. Without it a
/// portable loop computes the same integers and the same floats, so results do not depend on the machine.
/// </summary>
internal static class QuantizedScan
{
    /// <summary>Scans panels [<paramref name="first"/>, <paramref name="end"/>) for the queries of block <paramref name="block"/>.</summary>
    public static void Scan(QuantizedCodes codes, QuantizedQueries queries, int block, ReadOnlySpan<float> norms, int first, int end, TopK[] heaps)
    {
        if (AvxVnni.IsSupported) ScanVnni(codes, queries, block, norms, first, end, heaps);
        else ScanPortable(codes, queries, block, norms, first, end, heaps);
    }

    private const int PanelsPerBatch = 32;   // their dot products (8 KB) stay in L1 until offered

    /// <summary>The integer dot products of a batch of panels, then their scores offered to the heaps.</summary>
    private static void ScanVnni(QuantizedCodes codes, QuantizedQueries queries, int block, ReadOnlySpan<float> norms, int first, int end, TopK[] heaps)
    {
        Span<int> dots = stackalloc int[PanelsPerBatch * PanelScan.QueryBlock * CodePanels.Width];
        for (int batch = first; batch < end; batch += PanelsPerBatch)
        {
            int count = Math.Min(PanelsPerBatch, end - batch);
            DotProducts(codes, queries.Weights.AsSpan(block * PanelScan.QueryBlock * codes.Groups), batch, count, dots);
            for (int i = 0; i < PanelScan.QueryBlock; i++)
            {
                int query = block * PanelScan.QueryBlock + i;
                if (queries.Cosine) Offer<CosineScore>(queries.Scale[query], queries.Offset[query], dots, i, norms, batch, count, heaps[i]);
                else Offer<EuclideanScore>(queries.Scale[query], queries.Offset[query], dots, i, norms, batch, count, heaps[i]);
            }
        }
    }

    /// <summary>
    /// Offers query <paramref name="i"/>'s scores of a batch of panels to its heap: first, sixteen at a time, which pass the
    /// heap's threshold as it was; then those are offered (the heap checks them again). Without calls in the first loop
    /// the JIT keeps its variables in registers.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Offer<TScore>(float scale, float offset, ReadOnlySpan<int> dots, int i, ReadOnlySpan<float> norms, int first, int count, TopK heap)
        where TScore : struct, IQuantizedScore
    {
        Span<uint> passed = stackalloc uint[PanelsPerBatch];
        Vector512<float> scales = Vector512.Create(scale), offsets = Vector512.Create(offset), limit = Vector512.Create(heap.Threshold);
        ref int dot = ref MemoryMarshal.GetReference(dots);
        ref float norm = ref MemoryMarshal.GetReference(norms);
        uint any = 0;
        for (int p = 0; p < count; p++)
        {
            Vector512<float> d = Vector512.ConvertToSingle(Vector512.LoadUnsafe(ref dot, (nuint)((p * PanelScan.QueryBlock + i) * CodePanels.Width)));
            Vector512<float> scores = TScore.Scores(scales, d, offsets, Vector512.LoadUnsafe(ref norm, (nuint)((first + p) * CodePanels.Width)));
            any |= passed[p] = (uint)Vector512.LessThanOrEqual(scores, limit).ExtractMostSignificantBits();
        }
        if (any == 0) return;   // the usual case once the heap is full
        for (int p = 0; p < count; p++)
            for (uint mask = passed[p]; mask != 0; mask &= mask - 1)
            {
                int lane = System.Numerics.BitOperations.TrailingZeroCount(mask), slot = (first + p) * CodePanels.Width + lane;
                heap.Offer(TScore.Score(scale, dots[(p * PanelScan.QueryBlock + i) * CodePanels.Width + lane], offset, norms[slot]), slot);
            }
    }

    /// <summary>
    /// dots[panel][query][row] for <paramref name="count"/> panels from <paramref name="first"/>: eight accumulators
    /// (four queries × two halves of a panel) in the sixteen registers VEX code may use. A method of its own without
    /// calls, so that the JIT keeps the accumulators in registers (inlined into the loop that offers, it stored them to
    /// the stack at every step: a third of the speed).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void DotProducts(QuantizedCodes codes, ReadOnlySpan<int> weights, int first, int count, Span<int> dots)
    {
        int groups = codes.Groups;
        ref byte values = ref MemoryMarshal.GetArrayDataReference(codes.Values);
        ref int w0 = ref MemoryMarshal.GetReference(weights);
        ref int w1 = ref Unsafe.Add(ref w0, groups), w2 = ref Unsafe.Add(ref w1, groups), w3 = ref Unsafe.Add(ref w2, groups);
        ref int output = ref MemoryMarshal.GetReference(dots);
        for (int p = 0; p < count; p++)
        {
            ref byte panel = ref Unsafe.Add(ref values, (nint)(first + p) * groups * QuantizedCodes.PanelGroupBytes);
            Vector256<int> a0 = default, a1 = default, a2 = default, a3 = default, b0 = default, b1 = default, b2 = default, b3 = default;
            for (int g = 0; g < groups; g++)
            {
                Vector256<byte> low = Vector256.LoadUnsafe(ref panel, (nuint)(g * QuantizedCodes.PanelGroupBytes));
                Vector256<byte> high = Vector256.LoadUnsafe(ref panel, (nuint)(g * QuantizedCodes.PanelGroupBytes + 32));
                Vector256<sbyte> q = Vector256.Create(Unsafe.Add(ref w0, g)).AsSByte();
                a0 = AvxVnni.MultiplyWideningAndAdd(a0, low, q);
                b0 = AvxVnni.MultiplyWideningAndAdd(b0, high, q);
                q = Vector256.Create(Unsafe.Add(ref w1, g)).AsSByte();
                a1 = AvxVnni.MultiplyWideningAndAdd(a1, low, q);
                b1 = AvxVnni.MultiplyWideningAndAdd(b1, high, q);
                q = Vector256.Create(Unsafe.Add(ref w2, g)).AsSByte();
                a2 = AvxVnni.MultiplyWideningAndAdd(a2, low, q);
                b2 = AvxVnni.MultiplyWideningAndAdd(b2, high, q);
                q = Vector256.Create(Unsafe.Add(ref w3, g)).AsSByte();
                a3 = AvxVnni.MultiplyWideningAndAdd(a3, low, q);
                b3 = AvxVnni.MultiplyWideningAndAdd(b3, high, q);
            }
            ref int o = ref Unsafe.Add(ref output, p * PanelScan.QueryBlock * CodePanels.Width);
            a0.StoreUnsafe(ref o, 0);
            b0.StoreUnsafe(ref o, 8);
            a1.StoreUnsafe(ref o, 16);
            b1.StoreUnsafe(ref o, 24);
            a2.StoreUnsafe(ref o, 32);
            b2.StoreUnsafe(ref o, 40);
            a3.StoreUnsafe(ref o, 48);
            b3.StoreUnsafe(ref o, 56);
        }
    }

    /// <summary>The same integers and scores as <see cref="ScanVnni"/>, one lane at a time.</summary>
    internal static void ScanPortable(QuantizedCodes codes, QuantizedQueries queries, int block, ReadOnlySpan<float> norms, int first, int end, TopK[] heaps)
    {
        int groups = codes.Groups;
        for (int p = first; p < end; p++)
            for (int row = 0; row < CodePanels.Width; row++)
            {
                int slot = p * CodePanels.Width + row;
                for (int i = 0; i < PanelScan.QueryBlock; i++)
                {
                    int query = block * PanelScan.QueryBlock + i, dot = 0;
                    for (int g = 0; g < groups; g++)
                    {
                        int packed = queries.Weights[query * groups + g];
                        long at = ((long)p * groups + g) * QuantizedCodes.PanelGroupBytes + row * QuantizedCodes.GroupValues;
                        for (int b = 0; b < QuantizedCodes.GroupValues; b++) dot += codes.Values[at + b] * (sbyte)(packed >> (8 * b));
                    }
                    heaps[i].Offer(queries.Cosine
                        ? CosineScore.Score(queries.Scale[query], dot, queries.Offset[query], norms[slot])
                        : EuclideanScore.Score(queries.Scale[query], dot, queries.Offset[query], norms[slot]), slot);
                }
            }
    }
}

/// <summary>
/// How a quantised scan turns a code's integer dot product d with a query into its score, from the query's scale and
/// offset and the code's norm (see <see cref="QuantizedQueries"/>); one rounding per fused step, the same in every lane
/// and in the scalar form, so vector and portable scans agree to the bit.
/// </summary>
internal interface IQuantizedScore
{
    static abstract Vector512<float> Scores(Vector512<float> scale, Vector512<float> d, Vector512<float> offset, Vector512<float> norm);

    static abstract float Score(float scale, float d, float offset, float norm);
}

/// <summary>Squared distance up to the query's constant: scale · d + Σ (step c)² (the norm).</summary>
internal readonly struct EuclideanScore : IQuantizedScore
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Scores(Vector512<float> scale, Vector512<float> d, Vector512<float> offset, Vector512<float> norm) =>
        Vector512.FusedMultiplyAdd(scale, d, norm);

    public static float Score(float scale, float d, float offset, float norm) => MathF.FusedMultiplyAdd(scale, d, norm);
}

/// <summary>Cosine distance minus 1: −(offset + scale · d) / ‖x‖ (the norm is 1/‖x‖).</summary>
internal readonly struct CosineScore : IQuantizedScore
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Scores(Vector512<float> scale, Vector512<float> d, Vector512<float> offset, Vector512<float> norm) =>
        -(Vector512.FusedMultiplyAdd(scale, d, offset) * norm);

    public static float Score(float scale, float d, float offset, float norm) => -(MathF.FusedMultiplyAdd(scale, d, offset) * norm);
}
