namespace Latent.Imaging;

/// <summary>The 8-bit colour types <see cref="PngWriter"/> writes; pixels are interleaved in this channel order.</summary>
public enum PngColor
{
    /// <summary>One channel: luminance.</summary>
    Gray,

    /// <summary>Two channels: luminance, alpha.</summary>
    GrayAlpha,

    /// <summary>Three channels: red, green, blue.</summary>
    Rgb,

    /// <summary>Four channels: red, green, blue, alpha.</summary>
    Rgba,
}

/// <summary>What the PNG format needs to know about each <see cref="PngColor"/>.</summary>
internal static class PngColorFacts
{
    /// <summary>Bytes per pixel (one byte per channel at bit depth 8).</summary>
    public static int Channels(this PngColor color) => color switch
    {
        PngColor.Gray => 1,
        PngColor.GrayAlpha => 2,
        PngColor.Rgb => 3,
        PngColor.Rgba => 4,
        _ => throw new ArgumentOutOfRangeException(nameof(color), color, "Unknown PNG colour type."),
    };

    /// <summary>The colour type byte of the IHDR chunk (PNG specification, table 11.1).</summary>
    public static byte ColorTypeCode(this PngColor color) => color switch
    {
        PngColor.Gray => 0,
        PngColor.Rgb => 2,
        PngColor.GrayAlpha => 4,
        PngColor.Rgba => 6,
        _ => throw new ArgumentOutOfRangeException(nameof(color), color, "Unknown PNG colour type."),
    };
}
