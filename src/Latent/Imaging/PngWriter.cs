using System.Buffers.Binary;
using System.IO.Compression;
using Latent.Storage;

namespace Latent.Imaging;

/// <summary>
/// Writes 8-bit, non-interlaced PNG files: grayscale, gray + alpha, RGB and RGBA. Each row gets the filter
/// that best predicts it (see <see cref="PngRowFilter"/>), the rows are deflated with zlib into IDAT chunks,
/// and every chunk carries its CRC-32.
/// </summary>
/// <example>
/// <code>
/// byte[] gray = new byte[8 * 8];          // an 8×8 black square
/// PngWriter.Write("square.png", gray, 8, 8, PngColor.Gray);
/// </code>
/// </example>
public static partial class PngWriter
{
    /// <summary>The eight bytes every PNG file starts with.</summary>
    public static ReadOnlySpan<byte> Signature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    // Split the compressed stream so no chunk gets huge; decoders accept any split.
    private const int MaxIdatLength = 1 << 20;

    /// <summary>Encodes interleaved 8-bit samples (rows top to bottom, <c>height × width × channels</c> bytes) as a PNG file.</summary>
    /// <exception cref="ArgumentException">A size is not positive, the colour is unknown or the buffer length does not match.</exception>
    public static byte[] Encode(ReadOnlySpan<byte> pixels, int width, int height, PngColor color)
    {
        int rowBytes = CheckArguments(pixels.Length, width, height, color);
        var file = new MemoryStream();
        file.Write(Signature);

        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], height);
        header[8] = 8;                        // bit depth
        header[9] = color.ColorTypeCode();
        header[10] = 0;                       // compression: deflate
        header[11] = 0;                       // filter method: adaptive, five types
        header[12] = 0;                       // no interlace
        WriteChunk(file, "IHDR"u8, header);

        byte[] compressed = Deflate(pixels, rowBytes, height, color.Channels());
        for (int start = 0; start < compressed.Length; start += MaxIdatLength)
            WriteChunk(file, "IDAT"u8, compressed.AsSpan(start, Math.Min(MaxIdatLength, compressed.Length - start)));

        WriteChunk(file, "IEND"u8, []);
        return file.ToArray();
    }

    /// <summary>
    /// Encodes intensities in [0, 1] (interleaved like the byte overload): values are clamped, scaled to 0..255 and
    /// rounded to nearest; NaN becomes 0.
    /// </summary>
    /// <exception cref="ArgumentException">A size is not positive, the colour is unknown or the buffer length does not match.</exception>
    public static byte[] Encode(ReadOnlySpan<float> pixels, int width, int height, PngColor color)
    {
        CheckArguments(pixels.Length, width, height, color);
        return Encode(UnitInterval.ToBytes(pixels), width, height, color);
    }

    /// <summary>Encodes a <see cref="Raster"/>.</summary>
    public static byte[] Encode(Raster image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return Encode(image.Pixels, image.Width, image.Height, image.Color);
    }

    /// <summary>
    /// Encodes and writes a PNG file atomically: the bytes go to a temporary file in the same folder that is then
    /// renamed over <paramref name="path"/>, so a failure never leaves a partial file.
    /// </summary>
    /// <exception cref="ArgumentException">Bad sizes or buffer length (nothing is written).</exception>
    /// <exception cref="DirectoryNotFoundException">The folder of <paramref name="path"/> does not exist.</exception>
    public static void Write(string path, ReadOnlySpan<byte> pixels, int width, int height, PngColor color) =>
        WriteFile(path, Encode(pixels, width, height, color));

    /// <summary>Like <see cref="Write(string, ReadOnlySpan{byte}, int, int, PngColor)"/> for intensities in [0, 1] (clamped, rounded).</summary>
    public static void Write(string path, ReadOnlySpan<float> pixels, int width, int height, PngColor color) =>
        WriteFile(path, Encode(pixels, width, height, color));

    /// <summary>Writes a <see cref="Raster"/> atomically.</summary>
    public static void Write(string path, Raster image) => WriteFile(path, Encode(image));

    /// <summary>Checks sizes against the buffer length and returns the bytes in one unfiltered row.</summary>
    internal static int CheckArguments(int length, int width, int height, PngColor color)
    {
        if (!Enum.IsDefined(color))
            throw new ArgumentOutOfRangeException(nameof(color), color, "Unknown PNG colour type.");
        if (width <= 0 || height <= 0)
            throw new ArgumentException($"An image needs a positive width and height; got {width}×{height}.", width <= 0 ? nameof(width) : nameof(height));
        int channels = color.Channels();
        long rowBytes = (long)width * channels, expected = rowBytes * height;
        if (rowBytes + 1 > Array.MaxLength)
            throw new ArgumentException($"A row of {width} {color} pixels ({rowBytes} bytes) is too long to encode.", nameof(width));
        if (length != expected)
            throw new ArgumentException(
                $"A {width}×{height} {color} image needs {width}×{height}×{channels} = {expected} samples, but the buffer holds {length}.", "pixels");
        return (int)rowBytes;
    }

    private static byte[] Deflate(ReadOnlySpan<byte> pixels, int rowBytes, int height, int bytesPerPixel)
    {
        var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            var filter = new PngRowFilter(rowBytes, bytesPerPixel);
            ReadOnlySpan<byte> prior = new byte[rowBytes];   // the row above the first one counts as zeros
            for (int y = 0; y < height; y++)
            {
                ReadOnlySpan<byte> row = pixels.Slice(y * rowBytes, rowBytes);
                zlib.Write(filter.Filter(row, prior));
                prior = row;
            }
        }
        return compressed.ToArray();
    }

    private static void WriteChunk(Stream file, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        file.Write(word);
        file.Write(type);
        file.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc32.Append(Crc32.Compute(type), data));
        file.Write(word);
    }

    private static void WriteFile(string path, byte[] png)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        AtomicFile.Write(path, stream => stream.Write(png));
    }
}
