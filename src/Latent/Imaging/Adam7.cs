namespace Latent.Imaging;

/// <summary>
/// The seven passes of Adam7 interlacing (PNG specification section 8.2): pass p holds the pixels at columns
/// x0 + i·dx and rows y0 + j·dy. A non-interlaced image is one pass with (0, 0, 1, 1).
/// </summary>
internal readonly record struct Adam7Pass(int X0, int Y0, int Dx, int Dy)
{
    public static readonly Adam7Pass[] Interlaced =
    [
        new(0, 0, 8, 8), new(4, 0, 8, 8), new(0, 4, 4, 8), new(2, 0, 4, 4), new(0, 2, 2, 4), new(1, 0, 2, 2), new(0, 1, 1, 2),
    ];

    public static readonly Adam7Pass[] Progressive = [new(0, 0, 1, 1)];

    /// <summary>Columns of this pass in an image <paramref name="width"/> wide (0 when the pass is empty).</summary>
    public int Columns(int width) => width > X0 ? (width - X0 + Dx - 1) / Dx : 0;

    /// <summary>Rows of this pass in an image <paramref name="height"/> high.</summary>
    public int Rows(int height) => height > Y0 ? (height - Y0 + Dy - 1) / Dy : 0;

    /// <summary>Bytes in one filtered row of this pass (without the filter byte) at <paramref name="bitsPerPixel"/>.</summary>
    public long RowBytes(int width, int bitsPerPixel) => ((long)Columns(width) * bitsPerPixel + 7) / 8;
}
