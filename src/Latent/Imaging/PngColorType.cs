namespace Latent.Imaging;

/// <summary>How a PNG file stores its pixels (the colour type byte of IHDR, PNG specification table 11.1).</summary>
public enum PngColorType : byte
{
    /// <summary>One gray sample per pixel; bit depth 1, 2, 4, 8 or 16.</summary>
    Gray = 0,

    /// <summary>Red, green, blue; bit depth 8 or 16.</summary>
    Rgb = 2,

    /// <summary>One index into the palette per pixel; bit depth 1, 2, 4 or 8.</summary>
    Palette = 3,

    /// <summary>Gray and alpha; bit depth 8 or 16.</summary>
    GrayAlpha = 4,

    /// <summary>Red, green, blue, alpha; bit depth 8 or 16.</summary>
    Rgba = 6,
}

/// <summary>What the format allows for each <see cref="PngColorType"/>.</summary>
internal static class PngColorTypeFacts
{
    /// <summary>Samples per pixel as stored (a palette index is one sample).</summary>
    public static int Samples(this PngColorType type) => type switch
    {
        PngColorType.Gray or PngColorType.Palette => 1,
        PngColorType.GrayAlpha => 2,
        PngColorType.Rgb => 3,
        PngColorType.Rgba => 4,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown PNG colour type."),
    };

    /// <summary>Whether the PNG specification allows <paramref name="bitDepth"/> for this colour type.</summary>
    public static bool Allows(this PngColorType type, int bitDepth) => type switch
    {
        PngColorType.Gray => bitDepth is 1 or 2 or 4 or 8 or 16,
        PngColorType.Palette => bitDepth is 1 or 2 or 4 or 8,
        PngColorType.Rgb or PngColorType.GrayAlpha or PngColorType.Rgba => bitDepth is 8 or 16,
        _ => false,
    };

    /// <summary>The 8-bit colour an image of this type becomes in a <see cref="Raster"/> (a palette expands to RGB or RGBA).</summary>
    public static PngColor ToRasterColor(this PngColorType type, bool paletteHasAlpha) => type switch
    {
        PngColorType.Gray => PngColor.Gray,
        PngColorType.GrayAlpha => PngColor.GrayAlpha,
        PngColorType.Rgb => PngColor.Rgb,
        PngColorType.Rgba => PngColor.Rgba,
        PngColorType.Palette => paletteHasAlpha ? PngColor.Rgba : PngColor.Rgb,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown PNG colour type."),
    };
}
