namespace Latent.Imaging;

/// <summary>
/// A PNG image as the file stores it: colour type, bit depth, palette, and one integer sample per channel per pixel
/// (rows top to bottom, pixels left to right, channels interleaved; a palette image has one index per pixel).
/// Convert it with <see cref="ToRaster"/> (8-bit, palette expanded) or <see cref="ToFloats(out ImageShape)"/> (channel-first, [0, 1]).
/// </summary>
/// <example>
/// <code>
/// PngImage image = PngReader.Read("digit.png");
/// float[] pixels = image.ToFloats(out ImageShape shape);   // shape: (1, 28, 28) for a gray digit
/// </code>
/// </example>
public sealed class PngImage
{
    /// <summary>Wraps samples (not copied) after checking them against the header facts.</summary>
    /// <param name="palette">RGB triples (a palette image needs 1 to 2^depth of them; other types may carry a suggested palette or none).</param>
    /// <param name="paletteAlpha">Alpha per palette entry (from tRNS), at most one per entry; entries past its end are opaque.</param>
    /// <exception cref="ArgumentException">A size is not positive, the depth does not suit the colour type, a sample or index is out of range, or the lengths do not match.</exception>
    public PngImage(int width, int height, PngColorType colorType, int bitDepth, ushort[] samples, byte[]? palette = null,
        byte[]? paletteAlpha = null, bool interlaced = false)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (width <= 0 || height <= 0) throw new ArgumentException($"A PNG image needs a positive width and height; got {width}×{height}.");
        if (!Enum.IsDefined(colorType)) throw new ArgumentOutOfRangeException(nameof(colorType), colorType, "Unknown PNG colour type.");
        if (!colorType.Allows(bitDepth)) throw new ArgumentException($"A {colorType} PNG cannot have bit depth {bitDepth}.", nameof(bitDepth));
        long expected = (long)width * height * colorType.Samples();
        if (samples.Length != expected)
            throw new ArgumentException($"A {width}×{height} {colorType} image needs {expected} samples, but the buffer holds {samples.Length}.", nameof(samples));
        if (palette is not null && (palette.Length % 3 != 0 || palette.Length == 0 || palette.Length > 3 * 256))
            throw new ArgumentException($"A palette holds 1 to 256 RGB triples; got {palette.Length} bytes.", nameof(palette));
        int entries = palette is null ? 0 : palette.Length / 3;
        if (colorType == PngColorType.Palette)
        {
            if (palette is null) throw new ArgumentException("A palette image needs a palette.", nameof(palette));
            if (entries > 1 << bitDepth) throw new ArgumentException($"A {bitDepth}-bit palette image can use at most {1 << bitDepth} entries; got {entries}.", nameof(palette));
        }
        if (paletteAlpha is not null && (palette is null || paletteAlpha.Length > entries))
            throw new ArgumentException($"Palette transparency has {paletteAlpha.Length} entries for a palette of {entries}.", nameof(paletteAlpha));
        int limit = colorType == PngColorType.Palette ? entries : 1 << bitDepth;
        for (int i = 0; i < samples.Length; i++)
            if (samples[i] >= limit)
                throw new ArgumentException(colorType == PngColorType.Palette
                    ? $"Pixel {i} uses palette entry {samples[i]} of a palette with {entries} entries."
                    : $"Sample {i} is {samples[i]}, more than {bitDepth} bits hold.", nameof(samples));
        (Width, Height, ColorType, BitDepth, Samples, Palette, PaletteAlpha, Interlaced) =
            (width, height, colorType, bitDepth, samples, palette, paletteAlpha, interlaced);
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>How the file stores colour.</summary>
    public PngColorType ColorType { get; }

    /// <summary>Bits per sample: 1, 2, 4, 8 or 16.</summary>
    public int BitDepth { get; }

    /// <summary>The samples at the file's depth, <c>Height × Width × channels</c> of them.</summary>
    public ushort[] Samples { get; }

    /// <summary>RGB triples of the palette, or null.</summary>
    public byte[]? Palette { get; }

    /// <summary>Alpha of the first palette entries (the rest are opaque), or null when the palette is opaque.</summary>
    public byte[]? PaletteAlpha { get; }

    /// <summary>Whether the file was Adam7-interlaced (the samples are in plain row order either way).</summary>
    public bool Interlaced { get; }

    /// <summary>Channels after expanding a palette: 1 gray, 2 gray + alpha, 3 RGB, 4 RGBA.</summary>
    public int Channels => RasterColor.Channels();

    /// <summary>The 8-bit colour of <see cref="ToRaster"/>.</summary>
    public PngColor RasterColor => ColorType.ToRasterColor(PaletteAlpha is not null);

    /// <summary>
    /// The image as 8-bit samples: low depths scaled up exactly (a 1-bit 1 becomes 255), 16-bit rounded to nearest,
    /// palette indices replaced by their colours (RGBA when the palette has transparency).
    /// </summary>
    public Raster ToRaster()
    {
        var bytes = new byte[(long)Width * Height * Channels];
        if (ColorType == PngColorType.Palette)
        {
            int channels = Channels;
            for (int i = 0; i < Samples.Length; i++)
            {
                int entry = Samples[i];
                bytes[i * channels] = Palette![3 * entry];
                bytes[i * channels + 1] = Palette[3 * entry + 1];
                bytes[i * channels + 2] = Palette[3 * entry + 2];
                if (channels == 4) bytes[i * channels + 3] = PaletteAlpha is not null && entry < PaletteAlpha.Length ? PaletteAlpha[entry] : (byte)255;
            }
        }
        else
        {
            int max = (1 << BitDepth) - 1;
            for (int i = 0; i < Samples.Length; i++) bytes[i] = (byte)((Samples[i] * 255 + max / 2) / max);
        }
        return new Raster(bytes, Width, Height, RasterColor);
    }

    /// <summary>
    /// The image as floats in [0, 1], channel-first (all of channel 0, then channel 1, …), at full precision: each sample
    /// divided by 2^depth − 1 (palette colours by 255). <paramref name="shape"/> gets (channels, height, width).
    /// </summary>
    public float[] ToFloats(out ImageShape shape)
    {
        int channels = Channels, plane = Width * Height;
        shape = new ImageShape(channels, Height, Width);
        var values = new float[(long)plane * channels];
        if (ColorType == PngColorType.Palette)
        {
            Raster raster = ToRaster();
            for (int p = 0; p < plane; p++)
                for (int c = 0; c < channels; c++) values[c * plane + p] = raster.Pixels[p * channels + c] / 255f;
            return values;
        }
        float max = (1 << BitDepth) - 1;
        for (int p = 0; p < plane; p++)
            for (int c = 0; c < channels; c++) values[c * plane + p] = Samples[p * channels + c] / max;
        return values;
    }

    /// <summary>
    /// The image as channel-first floats in [0, 1] with 1 (gray) or 3 (RGB) channels, whatever the file holds: colour
    /// becomes BT.601 luma (<see cref="ColorSpaces.RgbToGray"/>), gray is repeated into three planes, alpha is dropped.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="channels"/> is not 1 or 3.</exception>
    public float[] ToFloats(int channels)
    {
        if (channels is not (1 or 3)) throw new ArgumentOutOfRangeException(nameof(channels), channels, "Images are read as 1 (gray) or 3 (RGB) channels.");
        float[] all = ToFloats(out ImageShape shape);
        int plane = shape.Height * shape.Width;
        bool gray = shape.Channels <= 2;
        if (channels == 1)
        {
            if (gray) return shape.Channels == 1 ? all : all[..plane];
            var luma = new float[plane];
            ColorSpaces.RgbToGray(all.AsSpan(0, 3 * plane), luma, plane);
            return luma;
        }
        if (!gray) return shape.Channels == 3 ? all : all[..(3 * plane)];
        var rgb = new float[3 * plane];
        for (int c = 0; c < 3; c++) all.AsSpan(0, plane).CopyTo(rgb.AsSpan(c * plane));
        return rgb;
    }
}
