using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Latent.Engine.Kernels.Simd;

namespace Latent.Engine.Kernels.Convolution;

/// <summary>
/// Stride-1 convolution computed directly, for layers with few input or output channels (an image's first layer,
/// a decoder's last), where im2col would copy KH·KW times the image to feed a product with one thin side.
/// </summary>
/// <remarks>
/// Each input plane is copied into a zero-bordered plane with row stride Wp = OW + dw·(KW − 1). In that layout every
/// kernel tap (kh, kw) is one constant shift, off = kh·dh·Wp + kw·dw, of the whole flattened plane, so
/// out[o][j] = Σ_c Σ_tap w[o, c, tap] · in[c][j + off] is a run of long vector multiply-adds over j = oy·Wp + ox
/// (the Wp − OW columns past each row's end are computed and then dropped). The input gradient is the same sum with
/// the roles of input and output channels swapped and the shifts negated; the weight gradient is dot products of
/// shifted planes. Planes carry zero slack so that whole vectors can be read and written past their ends. Each loop is
/// written once, generic over the vector width (<see cref="IVectorWidth{TVector}"/>), and runs at the widest accelerated one.
/// </remarks>
internal static unsafe class DirectConvolution
{
    private const int Padding = 16;   // plane lengths are multiples of the widest vector, a Vector512<float>

    /// <summary>
    /// Whether the direct kernel is expected to beat im2col + GEMM for this layer: at stride 1, with few window
    /// positions (under 64: each image's product is tiny) or a thin side. Measured with <c>bench conv-layers</c> (CPU
    /// time, batch 128, fwd+bwd GFLOP/s, direct vs GEMM): 1→64 at 28×28 15.7 vs 13.4, 64→1 at 28×28 21.4 vs 6.7, 32→16
    /// at 7×7 30.9 vs 24.2, 16→16 at 4×4 20.6 vs 13.3; but 16→32 at 8×8 34.5 vs 44.2 and 64→32 at 14×14 42.9 vs 56.4.
    /// The forward pass alone counts only a thin output side: with few input channels the column matrix is small
    /// and the product has many rows (1→64 at 28×28 forward, µs per image: 10.2 GEMM vs 18.0 direct at batch 1,
    /// 15.8 vs 23.4 at batch 128).
    /// </summary>
    public static bool Suits(in ConvGeometry g, int outChannels, bool backward) =>
        g.StrideHeight == 1 && g.StrideWidth == 1 && g.KernelHeight * g.KernelWidth > 1
        && ((backward ? Math.Min(g.Channels, outChannels) : outChannels) <= 4 || g.Positions < 64);

    /// <summary>Sizes of the scratch planes for one image.</summary>
    public readonly record struct Layout(int Wp, int Hp, int Taps, int MaxShift, int Length, int InputPlane, int BackLength, int GradPlane)
    {
        public static Layout Of(in ConvGeometry g)
        {
            int wp = g.OutWidth + g.DilationWidth * (g.KernelWidth - 1);
            int hp = g.OutHeight + g.DilationHeight * (g.KernelHeight - 1);
            int maxShift = g.DilationHeight * (g.KernelHeight - 1) * wp + g.DilationWidth * (g.KernelWidth - 1);
            int length = RoundUp(g.OutHeight * wp);
            int backLength = RoundUp(hp * wp);
            return new Layout(wp, hp, g.KernelHeight * g.KernelWidth, maxShift, length,
                RoundUp(Math.Max(length, backLength) + maxShift), backLength, RoundUp(backLength + maxShift));
        }

        /// <summary>Floats of scratch that <see cref="Forward"/> needs.</summary>
        public long ForwardScratch(int inChannels, int outChannels) => (long)inChannels * InputPlane + (long)outChannels * Length;

        /// <summary>Floats of scratch that <see cref="Backward"/> needs.</summary>
        public long BackwardScratch(int inChannels, int outChannels) =>
            (long)inChannels * InputPlane + (long)outChannels * GradPlane + (long)inChannels * BackLength;
    }

    private static int RoundUp(int n) => (n + Padding - 1) / Padding * Padding;

    /// <summary>y[o] = Σ w[o, c] ⋆ x[c] for one image (no bias): x [C, H, W] → y [O, OH, OW].</summary>
    public static void Forward(in ConvGeometry g, int outChannels, float* x, float* weight, float* y, float* scratch)
    {
        Layout l = Layout.Of(g);
        float* planes = scratch, sums = scratch + (nint)g.Channels * l.InputPlane;
        PadPlanes(g, l, x, planes);
        int* shifts = stackalloc int[l.Taps];
        Shifts(g, l, shifts, sign: 1, origin: 0);
        int taps = l.Taps;
        ShiftedSums(outChannels, g.Channels, taps, weight, (nint)g.Channels * taps, taps, shifts, planes, l.InputPlane, sums, l.Length, l.Length);
        for (int o = 0; o < outChannels; o++)
            for (int oy = 0; oy < g.OutHeight; oy++)
                new ReadOnlySpan<float>(sums + (nint)o * l.Length + (nint)oy * l.Wp, g.OutWidth)
                    .CopyTo(new Span<float>(y + ((nint)o * g.OutHeight + oy) * g.OutWidth, g.OutWidth));
    }

    /// <summary>
    /// Gradients for one image from dz [O, OH, OW]: dx (overwritten) when not null, and dW (+=, or overwritten when
    /// <paramref name="first"/>) when not null.
    /// </summary>
    public static void Backward(in ConvGeometry g, int outChannels, float* x, float* weight, float* dz, float* dx, float* dw,
        bool first, float* scratch)
    {
        Layout l = Layout.Of(g);
        int taps = l.Taps, margin = l.MaxShift;
        float* planes = scratch, grads = planes + (nint)g.Channels * l.InputPlane, back = grads + (nint)outChannels * l.GradPlane;

        // dz laid out like the output sums: a margin of zeros (for the negated shifts), rows of stride Wp, zero tail.
        for (int o = 0; o < outChannels; o++)
        {
            float* plane = grads + (nint)o * l.GradPlane;
            new Span<float>(plane, l.GradPlane).Clear();
            for (int oy = 0; oy < g.OutHeight; oy++)
                new ReadOnlySpan<float>(dz + ((nint)o * g.OutHeight + oy) * g.OutWidth, g.OutWidth)
                    .CopyTo(new Span<float>(plane + margin + (nint)oy * l.Wp, g.OutWidth));
        }
        int* shifts = stackalloc int[taps];
        if (dw != null)
        {
            PadPlanes(g, l, x, planes);
            Shifts(g, l, shifts, sign: 1, origin: 0);
            for (int o = 0; o < outChannels; o++)
                for (int c = 0; c < g.Channels; c++)
                    ShiftedDots(grads + (nint)o * l.GradPlane + margin, planes + (nint)c * l.InputPlane, shifts, taps, l.Length,
                        dw + ((nint)o * g.Channels + c) * taps, first);
        }
        if (dx != null)
        {
            Shifts(g, l, shifts, sign: -1, origin: margin);
            ShiftedSums(g.Channels, outChannels, taps, weight, taps, (nint)g.Channels * taps, shifts, grads, l.GradPlane, back, l.BackLength, l.BackLength);
            for (int c = 0; c < g.Channels; c++)
                for (int iy = 0; iy < g.Height; iy++)
                    new ReadOnlySpan<float>(back + (nint)c * l.BackLength + (nint)(iy + g.PadTop) * l.Wp + g.PadLeft, g.Width)
                        .CopyTo(new Span<float>(dx + ((nint)c * g.Height + iy) * g.Width, g.Width));
        }
    }

    /// <summary>Copies each channel of x into a zero-bordered plane: padded (py, px) = x(py − padTop, px − padLeft).</summary>
    private static void PadPlanes(in ConvGeometry g, in Layout l, float* x, float* planes)
    {
        int rows = Math.Clamp(l.Hp - g.PadTop, 0, g.Height), px0 = g.PadLeft, count = Math.Clamp(l.Wp - px0, 0, g.Width);
        for (int c = 0; c < g.Channels; c++)
        {
            // Zero only what the copies leave: the top margin, each row's left and right margins (one run from a
            // row's end to the next row's start), and everything after the last row.
            float* plane = planes + (nint)c * l.InputPlane;
            nint at = 0;
            for (int iy = 0; iy < rows; iy++)
            {
                nint start = (nint)(iy + g.PadTop) * l.Wp + px0;
                new Span<float>(plane + at, (int)(start - at)).Clear();
                new ReadOnlySpan<float>(x + ((nint)c * g.Height + iy) * g.Width, count).CopyTo(new Span<float>(plane + start, count));
                at = start + count;
            }
            new Span<float>(plane + at, (int)(l.InputPlane - at)).Clear();
        }
    }

    /// <summary>shift[tap] = origin + sign·(kh·dh·Wp + kw·dw).</summary>
    private static void Shifts(in ConvGeometry g, in Layout l, int* shifts, int sign, int origin)
    {
        for (int kh = 0; kh < g.KernelHeight; kh++)
            for (int kw = 0; kw < g.KernelWidth; kw++)
                shifts[kh * g.KernelWidth + kw] = origin + sign * (kh * g.DilationHeight * l.Wp + kw * g.DilationWidth);
    }

    /// <summary>
    /// out[a][j] = Σ_b Σ_t W(a, b, t)·in[b][j + shift[t]] for j &lt; length (a multiple of 16), with W(a, b, t) =
    /// weights[a·strideA + b·strideB + t]. Each out[a][j] is one FMA chain in (b, t) order, whatever the vector width.
    /// </summary>
    private static void ShiftedSums(int aCount, int bCount, int taps, float* weights, nint strideA, nint strideB, int* shift,
        float* input, nint inPlane, float* output, nint outPlane, int length)
    {
        // Vector512 halves the instructions per FLOP even where the core executes it as two 256-bit halves (GEMM-NOTES.md).
        if (Vector512.IsHardwareAccelerated)
            ShiftedSums<Vector512Width, Vector512<float>>(aCount, bCount, taps, weights, strideA, strideB, shift, input, inPlane, output, outPlane, length);
        else
            ShiftedSums<Vector256Width, Vector256<float>>(aCount, bCount, taps, weights, strideA, strideB, shift, input, inPlane, output, outPlane, length);
    }

    /// <summary><see cref="ShiftedSums(int, int, int, float*, nint, nint, int*, float*, nint, float*, nint, int)"/> with vectors of one width.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void ShiftedSums<TWidth, TVector>(int aCount, int bCount, int taps, float* weights, nint strideA, nint strideB, int* shift,
        float* input, nint inPlane, float* output, nint outPlane, int length)
        where TWidth : struct, IVectorWidth<TVector> where TVector : struct
    {
        int lanes = TWidth.Count, a = 0;
        // Four output planes share each input vector.
        for (; a + 4 <= aCount; a += 4)
        {
            float* w0 = weights + a * strideA, w1 = w0 + strideA, w2 = w1 + strideA, w3 = w2 + strideA;
            float* o0 = output + a * outPlane, o1 = o0 + outPlane, o2 = o1 + outPlane, o3 = o2 + outPlane;
            for (int j = 0; j < length; j += lanes)
            {
                TVector s0 = default, s1 = default, s2 = default, s3 = default;
                for (int b = 0; b < bCount; b++)
                {
                    float* src = input + b * inPlane + j;
                    nint wb = b * strideB;
                    for (int t = 0; t < taps; t++)
                    {
                        TVector v = TWidth.Load(src + shift[t]);
                        s0 = TWidth.FusedMultiplyAdd(TWidth.Create(w0[wb + t]), v, s0);
                        s1 = TWidth.FusedMultiplyAdd(TWidth.Create(w1[wb + t]), v, s1);
                        s2 = TWidth.FusedMultiplyAdd(TWidth.Create(w2[wb + t]), v, s2);
                        s3 = TWidth.FusedMultiplyAdd(TWidth.Create(w3[wb + t]), v, s3);
                    }
                }
                TWidth.Store(s0, o0 + j);
                TWidth.Store(s1, o1 + j);
                TWidth.Store(s2, o2 + j);
                TWidth.Store(s3, o3 + j);
            }
        }
        for (; a < aCount; a++)
        {
            // One output plane: input plane by input plane, the sums kept in the output (a plane fits in L1, all
            // input planes together may not), four vectors of j at a time sharing each weight. Each sum is still
            // one FMA chain in (b, t) order.
            float* w0 = weights + a * strideA, o0 = output + a * outPlane;
            new Span<float>(o0, length).Clear();
            for (int b = 0; b < bCount; b++)
            {
                float* src = input + b * inPlane;
                float* wb = w0 + b * strideB;
                int j = 0;
                for (; j + 4 * lanes <= length; j += 4 * lanes)
                {
                    TVector s0 = TWidth.Load(o0 + j), s1 = TWidth.Load(o0 + j + lanes);
                    TVector s2 = TWidth.Load(o0 + j + 2 * lanes), s3 = TWidth.Load(o0 + j + 3 * lanes);
                    for (int t = 0; t < taps; t++)
                    {
                        TVector w = TWidth.Create(wb[t]);
                        float* p = src + j + shift[t];
                        s0 = TWidth.FusedMultiplyAdd(w, TWidth.Load(p), s0);
                        s1 = TWidth.FusedMultiplyAdd(w, TWidth.Load(p + lanes), s1);
                        s2 = TWidth.FusedMultiplyAdd(w, TWidth.Load(p + 2 * lanes), s2);
                        s3 = TWidth.FusedMultiplyAdd(w, TWidth.Load(p + 3 * lanes), s3);
                    }
                    TWidth.Store(s0, o0 + j);
                    TWidth.Store(s1, o0 + j + lanes);
                    TWidth.Store(s2, o0 + j + 2 * lanes);
                    TWidth.Store(s3, o0 + j + 3 * lanes);
                }
                for (; j < length; j += lanes)
                {
                    TVector s = TWidth.Load(o0 + j);
                    for (int t = 0; t < taps; t++)
                        s = TWidth.FusedMultiplyAdd(TWidth.Create(wb[t]), TWidth.Load(src + j + shift[t]), s);
                    TWidth.Store(s, o0 + j);
                }
            }
        }
    }

    /// <summary>
    /// dw[t] (+)= Σ_j g[j]·x[j + shift[t]] for j &lt; length (a multiple of 16): per-lane FMA chains, then the lanes
    /// summed, so the last bits depend on the vector width.
    /// </summary>
    private static void ShiftedDots(float* g, float* x, int* shift, int taps, int length, float* dw, bool first)
    {
        if (Vector512.IsHardwareAccelerated) ShiftedDots<Vector512Width, Vector512<float>>(g, x, shift, taps, length, dw, first);
        else ShiftedDots<Vector256Width, Vector256<float>>(g, x, shift, taps, length, dw, first);
    }

    /// <summary><see cref="ShiftedDots(float*, float*, int*, int, int, float*, bool)"/> with vectors of one width.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void ShiftedDots<TWidth, TVector>(float* g, float* x, int* shift, int taps, int length, float* dw, bool first)
        where TWidth : struct, IVectorWidth<TVector> where TVector : struct
    {
        int lanes = TWidth.Count, t = 0;
        // Four taps share each vector of g.
        for (; t + 4 <= taps; t += 4)
        {
            float* x0 = x + shift[t], x1 = x + shift[t + 1], x2 = x + shift[t + 2], x3 = x + shift[t + 3];
            TVector s0 = default, s1 = default, s2 = default, s3 = default;
            for (int j = 0; j < length; j += lanes)
            {
                TVector v = TWidth.Load(g + j);
                s0 = TWidth.FusedMultiplyAdd(v, TWidth.Load(x0 + j), s0);
                s1 = TWidth.FusedMultiplyAdd(v, TWidth.Load(x1 + j), s1);
                s2 = TWidth.FusedMultiplyAdd(v, TWidth.Load(x2 + j), s2);
                s3 = TWidth.FusedMultiplyAdd(v, TWidth.Load(x3 + j), s3);
            }
            Store(dw + t, TWidth.Sum(s0), first);
            Store(dw + t + 1, TWidth.Sum(s1), first);
            Store(dw + t + 2, TWidth.Sum(s2), first);
            Store(dw + t + 3, TWidth.Sum(s3), first);
        }
        for (; t < taps; t++)
        {
            float* x0 = x + shift[t];
            TVector s = default;
            for (int j = 0; j < length; j += lanes) s = TWidth.FusedMultiplyAdd(TWidth.Load(g + j), TWidth.Load(x0 + j), s);
            Store(dw + t, TWidth.Sum(s), first);
        }
    }

    private static void Store(float* target, float value, bool first) => *target = first ? value : *target + value;
}
