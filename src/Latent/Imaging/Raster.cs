namespace Latent.Imaging;

/// <summary>
/// An 8-bit image in memory, laid out as PNG stores it: rows top to bottom, pixels left to right, the channels
/// of each pixel interleaved in <see cref="PngColor"/> order.
/// </summary>
public sealed class Raster
{
    /// <summary>Wraps <paramref name="pixels"/> (not copied) after checking that it holds width × height × channels bytes.</summary>
    /// <exception cref="ArgumentException">A size is not positive or the buffer length does not match.</exception>
    public Raster(byte[] pixels, int width, int height, PngColor color)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        PngWriter.CheckArguments(pixels.Length, width, height, color);
        Pixels = pixels;
        Width = width;
        Height = height;
        Color = color;
    }

    /// <summary>The samples, <c>Height × Width × channels</c> bytes.</summary>
    public byte[] Pixels { get; }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>The colour of every pixel.</summary>
    public PngColor Color { get; }
}
