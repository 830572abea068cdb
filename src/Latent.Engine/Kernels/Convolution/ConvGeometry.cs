namespace Latent.Engine.Kernels.Convolution;

/// <summary>
/// How a sliding window relates one image (<see cref="Channels"/> × <see cref="Height"/> × <see cref="Width"/>)
/// to its column matrix: window position (oy, ox) with 0 ≤ oy &lt; <see cref="OutHeight"/>, 0 ≤ ox &lt; <see cref="OutWidth"/>,
/// and kernel tap (kh, kw) read the image at row oy·stride − padTop + kh·dilation, column ox·stride − padLeft + kw·dilation
/// (zero outside the image). For a convolution the image is its input; for a transposed convolution, its output.
/// </summary>
internal readonly record struct ConvGeometry(
    int Channels, int Height, int Width, int KernelHeight, int KernelWidth, int StrideHeight, int StrideWidth,
    int PadTop, int PadLeft, int DilationHeight, int DilationWidth, int OutHeight, int OutWidth)
{
    /// <summary>Rows of the column matrix: channels × kernel taps.</summary>
    public int ColumnRows => Channels * KernelHeight * KernelWidth;

    /// <summary>Columns of the column matrix: window positions.</summary>
    public int Positions => OutHeight * OutWidth;

    /// <summary>Floats in one image.</summary>
    public int ImageSize => Channels * Height * Width;

    /// <summary>Floats in one column matrix.</summary>
    public long ColumnSize => (long)ColumnRows * Positions;

    /// <summary>
    /// Whether the column matrix is the image itself (a 1×1 kernel at stride 1 without padding), so that
    /// im2col and col2im can be skipped.
    /// </summary>
    public bool ColumnsAreImage => KernelHeight == 1 && KernelWidth == 1 && StrideHeight == 1 && StrideWidth == 1
        && PadTop == 0 && PadLeft == 0 && OutHeight == Height && OutWidth == Width;

    /// <summary>Window positions along one axis: ⌊(size + padding − span) / stride⌋ + 1 (0 when the window does not fit).</summary>
    public static int OutputSize(int size, int padBefore, int padAfter, int kernel, int stride, int dilation)
    {
        long span = (long)dilation * (kernel - 1) + 1, room = (long)size + padBefore + padAfter - span;
        return room < 0 ? 0 : (int)Math.Min(room / stride + 1, int.MaxValue);
    }

    /// <summary>
    /// For one kernel tap along one axis (offset = tap·dilation − padBefore), the range [first, end) of output
    /// positions whose image coordinate o·stride + offset lies inside [0, size).
    /// </summary>
    public static (int First, int End) InsideRange(int offset, int size, int stride, int outputs)
    {
        int first = offset >= 0 ? 0 : (-offset + stride - 1) / stride;
        int end = size - offset <= 0 ? 0 : (size - offset + stride - 1) / stride;
        first = Math.Min(first, outputs);
        end = Math.Clamp(end, first, outputs);
        return (first, end);
    }
}
