using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

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
/// shifted planes. Planes carry zero slack so that whole vectors can be read and written past their ends.
/// </remarks>
internal static unsafe class DirectConvolution
{
    private const int Lanes = 8;   // Vector256<float>
    private const int Padding = 16;   // plane lengths are multiples of a Vector512<float>

    /// <summary>
    /// Whether the direct kernel is expected to beat im2col + GEMM for this layer: at stride 1, with at most 4 channels
    /// on one side (the product would have a thin side) or fewer than 64 window positions (each image's product is tiny).
    /// Measured with <c>bench conv-layers</c> (CPU time, batch 128, fwd+bwd GFLOP/s, direct vs GEMM): 1→64 at 28×28
    /// 15.7 vs 13.4, 64→1 at 28×28 21.4 vs 6.7, 32→16 at 7×7 30.9 vs 24.2, 16→16 at 4×4 20.6 vs 13.3; but 16→32 at
    /// 8×8 34.5 vs 44.2 and 64→32 at 14×14 42.9 vs 56.4.
    /// </summary>
    public static bool Suits(in ConvGeometry g, int outChannels) =>
        g.StrideHeight == 1 && g.StrideWidth == 1 && g.KernelHeight * g.KernelWidth > 1
        && (Math.Min(g.Channels, outChannels) <= 4 || g.Positions < 64);

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
        for (int c = 0; c < g.Channels; c++)
        {
            float* plane = planes + (nint)c * l.InputPlane;
            new Span<float>(plane, l.InputPlane).Clear();
            for (int iy = 0; iy < g.Height; iy++)
            {
                int py = iy + g.PadTop;
                if (py >= l.Hp) break;
                int px0 = g.PadLeft, count = Math.Min(g.Width, l.Wp - px0);
                if (count > 0)
                    new ReadOnlySpan<float>(x + ((nint)c * g.Height + iy) * g.Width, count).CopyTo(new Span<float>(plane + (nint)py * l.Wp + px0, count));
            }
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
    /// out[a][j] = Σ_b Σ_t W(a, b, t)·in[b][j + shift[t]] for j &lt; length (a multiple of 8), with W(a, b, t) =
    /// weights[a·strideA + b·strideB + t]. Four output planes share each input vector.
    /// </summary>
    private static void ShiftedSums(int aCount, int bCount, int taps, float* weights, nint strideA, nint strideB, int* shift,
        float* input, nint inPlane, float* output, nint outPlane, int length)
    {
        // Vector512 halves the instructions per FLOP even where the core executes it as two 256-bit halves (GEMM-NOTES.md).
        if (Vector512.IsHardwareAccelerated) ShiftedSums512(aCount, bCount, taps, weights, strideA, strideB, shift, input, inPlane, output, outPlane, length);
        else ShiftedSums256(aCount, bCount, taps, weights, strideA, strideB, shift, input, inPlane, output, outPlane, length);
    }

    /// <summary>As <see cref="ShiftedSums256"/> with 16-float vectors; <paramref name="length"/> is a multiple of 16.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ShiftedSums512(int aCount, int bCount, int taps, float* weights, nint strideA, nint strideB, int* shift,
        float* input, nint inPlane, float* output, nint outPlane, int length)
    {
        const int lanes = 16;
        int a = 0;
        for (; a + 4 <= aCount; a += 4)
        {
            float* w0 = weights + a * strideA, w1 = w0 + strideA, w2 = w1 + strideA, w3 = w2 + strideA;
            float* o0 = output + a * outPlane, o1 = o0 + outPlane, o2 = o1 + outPlane, o3 = o2 + outPlane;
            for (int j = 0; j < length; j += lanes)
            {
                Vector512<float> s0 = default, s1 = default, s2 = default, s3 = default;
                for (int b = 0; b < bCount; b++)
                {
                    float* src = input + b * inPlane + j;
                    nint wb = b * strideB;
                    for (int t = 0; t < taps; t++)
                    {
                        Vector512<float> v = Vector512.Load(src + shift[t]);
                        s0 = Vector512.FusedMultiplyAdd(Vector512.Create(w0[wb + t]), v, s0);
                        s1 = Vector512.FusedMultiplyAdd(Vector512.Create(w1[wb + t]), v, s1);
                        s2 = Vector512.FusedMultiplyAdd(Vector512.Create(w2[wb + t]), v, s2);
                        s3 = Vector512.FusedMultiplyAdd(Vector512.Create(w3[wb + t]), v, s3);
                    }
                }
                s0.Store(o0 + j);
                s1.Store(o1 + j);
                s2.Store(o2 + j);
                s3.Store(o3 + j);
            }
        }
        for (; a < aCount; a++)
        {
            float* w0 = weights + a * strideA, o0 = output + a * outPlane;
            int j = 0;
            for (; j + 4 * lanes <= length; j += 4 * lanes)
            {
                Vector512<float> s0 = default, s1 = default, s2 = default, s3 = default;
                for (int b = 0; b < bCount; b++)
                {
                    float* src = input + b * inPlane + j;
                    nint wb = b * strideB;
                    for (int t = 0; t < taps; t++)
                    {
                        var w = Vector512.Create(w0[wb + t]);
                        float* p = src + shift[t];
                        s0 = Vector512.FusedMultiplyAdd(w, Vector512.Load(p), s0);
                        s1 = Vector512.FusedMultiplyAdd(w, Vector512.Load(p + lanes), s1);
                        s2 = Vector512.FusedMultiplyAdd(w, Vector512.Load(p + 2 * lanes), s2);
                        s3 = Vector512.FusedMultiplyAdd(w, Vector512.Load(p + 3 * lanes), s3);
                    }
                }
                s0.Store(o0 + j);
                s1.Store(o0 + j + lanes);
                s2.Store(o0 + j + 2 * lanes);
                s3.Store(o0 + j + 3 * lanes);
            }
            for (; j < length; j += lanes)
            {
                Vector512<float> sum = default;
                for (int b = 0; b < bCount; b++)
                {
                    float* src = input + b * inPlane + j;
                    nint wb = b * strideB;
                    for (int t = 0; t < taps; t++)
                        sum = Vector512.FusedMultiplyAdd(Vector512.Create(w0[wb + t]), Vector512.Load(src + shift[t]), sum);
                }
                sum.Store(o0 + j);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ShiftedSums256(int aCount, int bCount, int taps, float* weights, nint strideA, nint strideB, int* shift,
        float* input, nint inPlane, float* output, nint outPlane, int length)
    {
        int a = 0;
        for (; a + 4 <= aCount; a += 4)
        {
            float* w0 = weights + a * strideA, w1 = w0 + strideA, w2 = w1 + strideA, w3 = w2 + strideA;
            float* o0 = output + a * outPlane, o1 = o0 + outPlane, o2 = o1 + outPlane, o3 = o2 + outPlane;
            for (int j = 0; j < length; j += Lanes)
            {
                Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default;
                for (int b = 0; b < bCount; b++)
                {
                    float* src = input + b * inPlane + j;
                    nint wb = b * strideB;
                    for (int t = 0; t < taps; t++)
                    {
                        Vector256<float> v = Vector256.Load(src + shift[t]);
                        s0 = Vector256.FusedMultiplyAdd(Vector256.Create(w0[wb + t]), v, s0);
                        s1 = Vector256.FusedMultiplyAdd(Vector256.Create(w1[wb + t]), v, s1);
                        s2 = Vector256.FusedMultiplyAdd(Vector256.Create(w2[wb + t]), v, s2);
                        s3 = Vector256.FusedMultiplyAdd(Vector256.Create(w3[wb + t]), v, s3);
                    }
                }
                s0.Store(o0 + j);
                s1.Store(o1 + j);
                s2.Store(o2 + j);
                s3.Store(o3 + j);
            }
        }
        for (; a < aCount; a++)
        {
            float* w0 = weights + a * strideA, o0 = output + a * outPlane;
            // One output plane: four vectors of j at a time share each weight.
            int j = 0;
            for (; j + 4 * Lanes <= length; j += 4 * Lanes)
            {
                Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default;
                for (int b = 0; b < bCount; b++)
                {
                    float* src = input + b * inPlane + j;
                    nint wb = b * strideB;
                    for (int t = 0; t < taps; t++)
                    {
                        var w = Vector256.Create(w0[wb + t]);
                        float* p = src + shift[t];
                        s0 = Vector256.FusedMultiplyAdd(w, Vector256.Load(p), s0);
                        s1 = Vector256.FusedMultiplyAdd(w, Vector256.Load(p + Lanes), s1);
                        s2 = Vector256.FusedMultiplyAdd(w, Vector256.Load(p + 2 * Lanes), s2);
                        s3 = Vector256.FusedMultiplyAdd(w, Vector256.Load(p + 3 * Lanes), s3);
                    }
                }
                s0.Store(o0 + j);
                s1.Store(o0 + j + Lanes);
                s2.Store(o0 + j + 2 * Lanes);
                s3.Store(o0 + j + 3 * Lanes);
            }
            for (; j < length; j += Lanes)
            {
                Vector256<float> s = default;
                for (int b = 0; b < bCount; b++)
                {
                    float* src = input + b * inPlane + j;
                    nint wb = b * strideB;
                    for (int t = 0; t < taps; t++)
                        s = Vector256.FusedMultiplyAdd(Vector256.Create(w0[wb + t]), Vector256.Load(src + shift[t]), s);
                }
                s.Store(o0 + j);
            }
        }
    }

    /// <summary>dw[t] (+)= Σ_j g[j]·x[j + shift[t]] for j &lt; length (a multiple of 16).</summary>
    private static void ShiftedDots(float* g, float* x, int* shift, int taps, int length, float* dw, bool first)
    {
        if (Vector512.IsHardwareAccelerated) ShiftedDots512(g, x, shift, taps, length, dw, first);
        else ShiftedDots256(g, x, shift, taps, length, dw, first);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ShiftedDots512(float* g, float* x, int* shift, int taps, int length, float* dw, bool first)
    {
        int t = 0;
        for (; t + 4 <= taps; t += 4)
        {
            float* x0 = x + shift[t], x1 = x + shift[t + 1], x2 = x + shift[t + 2], x3 = x + shift[t + 3];
            Vector512<float> s0 = default, s1 = default, s2 = default, s3 = default;
            for (int j = 0; j < length; j += 16)
            {
                Vector512<float> v = Vector512.Load(g + j);
                s0 = Vector512.FusedMultiplyAdd(v, Vector512.Load(x0 + j), s0);
                s1 = Vector512.FusedMultiplyAdd(v, Vector512.Load(x1 + j), s1);
                s2 = Vector512.FusedMultiplyAdd(v, Vector512.Load(x2 + j), s2);
                s3 = Vector512.FusedMultiplyAdd(v, Vector512.Load(x3 + j), s3);
            }
            Store(dw + t, Vector512.Sum(s0), first);
            Store(dw + t + 1, Vector512.Sum(s1), first);
            Store(dw + t + 2, Vector512.Sum(s2), first);
            Store(dw + t + 3, Vector512.Sum(s3), first);
        }
        for (; t < taps; t++)
        {
            float* x0 = x + shift[t];
            Vector512<float> s = default;
            for (int j = 0; j < length; j += 16) s = Vector512.FusedMultiplyAdd(Vector512.Load(g + j), Vector512.Load(x0 + j), s);
            Store(dw + t, Vector512.Sum(s), first);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ShiftedDots256(float* g, float* x, int* shift, int taps, int length, float* dw, bool first)
    {
        int t = 0;
        for (; t + 4 <= taps; t += 4)
        {
            float* x0 = x + shift[t], x1 = x + shift[t + 1], x2 = x + shift[t + 2], x3 = x + shift[t + 3];
            Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default;
            for (int j = 0; j < length; j += Lanes)
            {
                Vector256<float> v = Vector256.Load(g + j);
                s0 = Vector256.FusedMultiplyAdd(v, Vector256.Load(x0 + j), s0);
                s1 = Vector256.FusedMultiplyAdd(v, Vector256.Load(x1 + j), s1);
                s2 = Vector256.FusedMultiplyAdd(v, Vector256.Load(x2 + j), s2);
                s3 = Vector256.FusedMultiplyAdd(v, Vector256.Load(x3 + j), s3);
            }
            Store(dw + t, Vector256.Sum(s0), first);
            Store(dw + t + 1, Vector256.Sum(s1), first);
            Store(dw + t + 2, Vector256.Sum(s2), first);
            Store(dw + t + 3, Vector256.Sum(s3), first);
        }
        for (; t < taps; t++)
        {
            float* x0 = x + shift[t];
            Vector256<float> s = default;
            for (int j = 0; j < length; j += Lanes) s = Vector256.FusedMultiplyAdd(Vector256.Load(g + j), Vector256.Load(x0 + j), s);
            Store(dw + t, Vector256.Sum(s), first);
        }
    }

    private static void Store(float* target, float value, bool first) => *target = first ? value : *target + value;
}
