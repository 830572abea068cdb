using System.Runtime.Intrinsics;
using System.Runtime.CompilerServices;

namespace Latent.Engine.Kernels.Convolution;

/// <summary>
/// The column matrix of an image and its adjoint. Row (c·KH + kh)·KW + kw, column oy·OW + ox of the
/// [C·KH·KW, OH·OW] matrix holds image[c, oy·sh − padTop + kh·dh, ox·sw − padLeft + kw·dw], or 0 outside.
/// A convolution is then one matrix product, weight [Cout, C·KH·KW] times columns.
/// </summary>
/// <remarks>
/// Example: a 1×3×3 image with a 2×2 kernel, stride 1, no padding has a 4×4 column matrix whose first row is
/// image[0, 0..1, 0..1] read row by row. Spans must not overlap. Each row is written or read segment by segment
/// (contiguous copies at stride 1), so the cost is one pass over the column matrix.
/// </remarks>
internal static unsafe class Im2Col
{
    /// <summary>Fills <paramref name="columns"/> (<see cref="ConvGeometry.ColumnSize"/> floats) from one image.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Gather(in ConvGeometry g, float* image, float* columns) => Gather(g, image, columns, 0, g.OutHeight);

    /// <summary>
    /// The columns of output rows <paramref name="first"/>..<paramref name="end"/> only: a [C·KH·KW, (end − first)·OW]
    /// matrix, for a thread that computes those rows of the output.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Gather(in ConvGeometry g, float* image, float* columns, int first, int end)
    {
        int ow = g.OutWidth, p = (end - first) * ow;
        // At stride 1 with the output as wide as the image, consecutive output rows read consecutive image rows.
        bool contiguous = g.StrideHeight == 1 && g.StrideWidth == 1 && ow == g.Width;
        float* row = columns;
        for (int c = 0; c < g.Channels; c++)
        {
            float* plane = image + (nint)c * g.Height * g.Width;
            for (int kh = 0; kh < g.KernelHeight; kh++)
            {
                int yOffset = kh * g.DilationHeight - g.PadTop;
                var (inside, insideEnd) = ConvGeometry.InsideRange(yOffset, g.Height, g.StrideHeight, g.OutHeight);
                int y0 = Math.Clamp(inside, first, end), y1 = Math.Clamp(insideEnd, y0, end);
                for (int kw = 0; kw < g.KernelWidth; kw++, row += p)
                {
                    int xOffset = kw * g.DilationWidth - g.PadLeft;
                    var (x0, x1) = ConvGeometry.InsideRange(xOffset, g.Width, g.StrideWidth, ow);
                    new Span<float>(row, (y0 - first) * ow).Clear();
                    new Span<float>(row + (nint)(y1 - first) * ow, (end - y1) * ow).Clear();
                    if (contiguous && y0 < y1 && x0 < x1)
                    {
                        // The tap's rows are one run of the plane: copy it whole, then zero the columns it wrapped into.
                        float* start = row + (nint)(y0 - first) * ow;
                        new ReadOnlySpan<float>(plane + (nint)(y0 + yOffset) * ow + x0 + xOffset, (y1 - y0 - 1) * ow + x1 - x0)
                            .CopyTo(new Span<float>(start + x0, (y1 - y0 - 1) * ow + x1 - x0));
                        for (int oy = y0; oy < y1; oy++, start += ow)
                        {
                            for (int ox = 0; ox < x0; ox++) start[ox] = 0f;
                            for (int ox = x1; ox < ow; ox++) start[ox] = 0f;
                        }
                        continue;
                    }
                    for (int oy = y0; oy < y1; oy++)
                    {
                        float* dst = row + (nint)(oy - first) * ow;
                        float* src = plane + (nint)(oy * g.StrideHeight + yOffset) * g.Width + xOffset;
                        for (int ox = 0; ox < x0; ox++) dst[ox] = 0f;
                        if (g.StrideWidth == 1)
                            CopyRow(src + x0, dst + x0, x1 - x0);
                        else
                            for (int ox = x0; ox < x1; ox++) dst[ox] = src[ox * g.StrideWidth];
                        for (int ox = x1; ox < ow; ox++) dst[ox] = 0f;
                    }
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ScatterAdd(in ConvGeometry g, float* columns, float* image)
    {
        int ow = g.OutWidth, p = g.Positions;
        float* row = columns;
        for (int c = 0; c < g.Channels; c++)
        {
            float* plane = image + (nint)c * g.Height * g.Width;
            for (int kh = 0; kh < g.KernelHeight; kh++)
            {
                int yOffset = kh * g.DilationHeight - g.PadTop;
                var (y0, y1) = ConvGeometry.InsideRange(yOffset, g.Height, g.StrideHeight, g.OutHeight);
                for (int kw = 0; kw < g.KernelWidth; kw++, row += p)
                {
                    int xOffset = kw * g.DilationWidth - g.PadLeft;
                    var (x0, x1) = ConvGeometry.InsideRange(xOffset, g.Width, g.StrideWidth, ow);
                    for (int oy = y0; oy < y1; oy++)
                    {
                        float* src = row + (nint)oy * ow;
                        float* dst = plane + (nint)(oy * g.StrideHeight + yOffset) * g.Width + xOffset;
                        if (g.StrideWidth == 1)
                            AddRow(src + x0, dst + x0, x1 - x0);
                        else
                        {
                            for (int ox = x0; ox < x1; ox++) dst[ox * g.StrideWidth] += src[ox];
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// dst[0..count) = src[0..count) for the short rows of small images (14 floats at 14×14), inline: a call to the
    /// general memory copy per row took longer than the GEMM on those columns. The last vector may overlap the one
    /// before it (src and dst are different buffers).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyRow(float* src, float* dst, int count)
    {
        if (!Vector256.IsHardwareAccelerated || count < 8)
        {
            for (int j = 0; j < count; j++) dst[j] = src[j];
            return;
        }
        int i = 0;
        for (; i + 8 <= count; i += 8) Vector256.Store(Vector256.Load(src + i), dst + i);
        if (i < count) Vector256.Store(Vector256.Load(src + count - 8), dst + count - 8);
    }

    /// <summary>dst[i] += src[i] for a short row: inline vectors, since a library call per row costs more than the row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddRow(float* src, float* dst, int count)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
            for (; i + 8 <= count; i += 8) Vector256.Store(Vector256.Load(dst + i) + Vector256.Load(src + i), dst + i);
        for (; i < count; i++) dst[i] += src[i];
    }
}
