using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Latent.Storage;

namespace Latent.Imaging;

/// <summary>
/// Reads PNG files of every standard kind: gray at 1, 2, 4, 8 and 16 bits, gray + alpha, RGB and RGBA at 8 and 16 bits,
/// palette at 1, 2, 4 and 8 bits (with tRNS transparency), plain or Adam7-interlaced. Every chunk's CRC is checked, the
/// chunk order is enforced, and the header's size is checked against <see cref="PngReadOptions"/> before any pixel
/// memory is allocated; the compressed data is inflated into a buffer of exactly the size the header implies.
/// </summary>
/// <remarks>
/// Every problem with the file is an <see cref="InvalidDataException"/> whose message says what is wrong (a bad CRC names
/// the chunk, a truncated file says how many bytes are missing). Ancillary chunks other than tRNS are skipped; tRNS of
/// gray and RGB images (one transparent colour) is ignored.
/// </remarks>
/// <example>
/// <code>
/// PngImage image = PngReader.Read("photo.png");
/// Raster pixels = image.ToRaster();   // 8-bit, palette expanded
/// </code>
/// </example>
public static class PngReader
{
    /// <summary>Reads and decodes a PNG file.</summary>
    /// <exception cref="InvalidDataException">The file is not a valid PNG, or exceeds the limits; the message starts with the path.</exception>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    public static PngImage Read(string path, PngReadOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= PngReadOptions.Default;
        InputFile.Check(path, "PNG file");
        long length = new FileInfo(path).Length;
        if (length > options.MaxFileBytes)
            throw new InvalidDataException($"{path}: the file has {length} bytes, more than the {options.MaxFileBytes} a PNG may have here (PngReadOptions.MaxFileBytes).");
        try
        {
            return Decode(File.ReadAllBytes(path), options);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>Decodes a PNG file held in memory.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a valid PNG, or exceed the limits.</exception>
    public static PngImage Decode(ReadOnlySpan<byte> file, PngReadOptions? options = null)
    {
        options ??= PngReadOptions.Default;
        if (file.Length < 8 || !file[..8].SequenceEqual(PngWriter.Signature))
            throw new InvalidDataException(file.Length < 8 ? $"not a PNG file: only {file.Length} bytes." : "not a PNG file: the signature is wrong.");

        Header? header = null;
        byte[]? palette = null, paletteAlpha = null;
        var compressed = new MemoryStream();
        bool seenData = false, dataEnded = false, ended = false;
        int at = 8;
        while (!ended)
        {
            if (file.Length - at < 12)
                throw new InvalidDataException($"the file is truncated: it ends {file.Length - at} bytes into a chunk header{(header is null ? "" : " (no IEND chunk)")}.");
            uint declared = BinaryPrimitives.ReadUInt32BigEndian(file[at..]);
            ReadOnlySpan<byte> typeBytes = file.Slice(at + 4, 4);
            string type = ChunkName(typeBytes);
            if (declared > int.MaxValue)
                throw new InvalidDataException($"chunk {type} at byte {at} declares {declared} bytes; PNG chunks hold at most {int.MaxValue}.");
            int length = (int)declared;
            if (length > file.Length - at - 12)
                throw new InvalidDataException($"the file is truncated or chunk {type} at byte {at} has a wrong length: it declares {length} bytes but only {file.Length - at - 12} follow.");
            ReadOnlySpan<byte> data = file.Slice(at + 8, length);
            uint stored = BinaryPrimitives.ReadUInt32BigEndian(file[(at + 8 + length)..]);
            uint computed = Crc32.Append(Crc32.Compute(typeBytes), data);
            if (stored != computed)
                throw new InvalidDataException($"chunk {type} at byte {at} is corrupt: its CRC is 0x{stored:x8} but its contents give 0x{computed:x8}.");
            at += 12 + length;

            if (header is null && type != "IHDR") throw new InvalidDataException($"the first chunk is {type}; a PNG starts with IHDR.");
            if (seenData && type != "IDAT") dataEnded = true;
            switch (type)
            {
                case "IHDR":
                    if (header is not null) throw new InvalidDataException("the file has two IHDR chunks.");
                    header = Header.Parse(data, options);
                    break;
                case "PLTE":
                    if (palette is not null) throw new InvalidDataException("the file has two PLTE chunks.");
                    if (seenData) throw new InvalidDataException("the PLTE chunk comes after the image data.");
                    if (header!.ColorType is PngColorType.Gray or PngColorType.GrayAlpha)
                        throw new InvalidDataException($"a {header.ColorType} image cannot have a palette.");
                    if (length == 0 || length % 3 != 0 || length / 3 > 256 || (header.ColorType == PngColorType.Palette && length / 3 > 1 << header.BitDepth))
                        throw new InvalidDataException($"the palette has {length} bytes; it must hold 1 to {(header.ColorType == PngColorType.Palette ? 1 << header.BitDepth : 256)} RGB triples.");
                    palette = data.ToArray();
                    break;
                case "tRNS":
                    if (seenData) throw new InvalidDataException("the tRNS chunk comes after the image data.");
                    if (header!.ColorType == PngColorType.Palette)
                    {
                        if (palette is null) throw new InvalidDataException("the tRNS chunk comes before the palette.");
                        if (length > palette.Length / 3)
                            throw new InvalidDataException($"tRNS has {length} alpha values for a palette of {palette.Length / 3} colours.");
                        paletteAlpha = data.ToArray();
                    }
                    break;
                case "IDAT":
                    if (dataEnded) throw new InvalidDataException("the IDAT chunks are not consecutive.");
                    if (header!.ColorType == PngColorType.Palette && palette is null)
                        throw new InvalidDataException("a palette image has no PLTE chunk before its image data.");
                    seenData = true;
                    compressed.Write(data);
                    break;
                case "IEND":
                    ended = true;
                    break;
                default:
                    if (IsCritical(typeBytes)) throw new InvalidDataException($"the file has an unknown critical chunk {type}.");
                    break;
            }
        }
        if (!seenData) throw new InvalidDataException("the file has no image data (IDAT).");

        Header h = header!;
        int channels = h.ColorType.Samples();
        long needed = PngScanlines.DataLength(h.Width, h.Height, channels * h.BitDepth, h.Interlaced);
        if (needed > Array.MaxLength) throw new InvalidDataException($"a {h.Width}×{h.Height} image is too large to decode here.");
        // Deflate expands at most ~1032:1, so data this short cannot hold the image: refuse before allocating for it.
        if (needed > compressed.Length * 1032L + 1024)
            throw new InvalidDataException($"the image data is truncated: {compressed.Length} compressed bytes cannot hold the {needed} bytes a {h.Width}×{h.Height} image needs.");
        var raw = new byte[needed];
        Inflate(compressed, raw);
        var samples = new ushort[(long)h.Width * h.Height * channels];
        PngScanlines.Decode(raw, h.Width, h.Height, h.BitDepth, channels, h.Interlaced, samples);
        if (h.ColorType == PngColorType.Palette)
        {
            int entries = palette!.Length / 3;
            for (int i = 0; i < samples.Length; i++)
                if (samples[i] >= entries) throw new InvalidDataException($"pixel ({i % h.Width}, {i / h.Width}) uses palette entry {samples[i]}, but the palette has {entries}.");
        }
        return new PngImage(h.Width, h.Height, h.ColorType, h.BitDepth, samples, palette, paletteAlpha, h.Interlaced);
    }

    private static void Inflate(MemoryStream compressed, byte[] raw)
    {
        compressed.Position = 0;
        int read;
        try
        {
            using var zlib = new ZLibStream(compressed, CompressionMode.Decompress);
            read = zlib.ReadAtLeast(raw, raw.Length, throwOnEndOfStream: false);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"the compressed image data is corrupt ({e.Message})", e);
        }
        if (read < raw.Length)
            throw new InvalidDataException($"the image data is truncated: it inflates to {read} bytes, but the header needs {raw.Length}.");
    }

    /// <summary>A chunk type for messages: its four letters, or their codes when they are not letters (a corrupt file).</summary>
    private static string ChunkName(ReadOnlySpan<byte> type)
    {
        foreach (byte b in type)
            if (!(b is >= (byte)'A' and <= (byte)'Z' or >= (byte)'a' and <= (byte)'z'))
                return "[" + string.Join(" ", type.ToArray().Select(x => x.ToString("x2"))) + "]";
        return Encoding.ASCII.GetString(type);
    }

    /// <summary>Critical chunks have an upper-case first letter (bit 5 clear); a decoder must understand them.</summary>
    private static bool IsCritical(ReadOnlySpan<byte> type) => (type[0] & 0x20) == 0;

    private sealed record Header(int Width, int Height, int BitDepth, PngColorType ColorType, bool Interlaced)
    {
        public static Header Parse(ReadOnlySpan<byte> data, PngReadOptions options)
        {
            if (data.Length != 13) throw new InvalidDataException($"the IHDR chunk has {data.Length} bytes; it must have 13.");
            uint width = BinaryPrimitives.ReadUInt32BigEndian(data), height = BinaryPrimitives.ReadUInt32BigEndian(data[4..]);
            byte depth = data[8], type = data[9];
            if (width == 0 || height == 0 || width > int.MaxValue || height > int.MaxValue)
                throw new InvalidDataException($"the header gives a size of {width}×{height}; each side must be 1 to {int.MaxValue}.");
            if ((ulong)width * height > (ulong)options.MaxPixels)
                throw new InvalidDataException($"the header gives a size of {width}×{height} = {(ulong)width * height} pixels, more than the {options.MaxPixels} allowed (PngReadOptions.MaxPixels).");
            var colorType = (PngColorType)type;
            if (!Enum.IsDefined(colorType)) throw new InvalidDataException($"the header gives colour type {type}; PNG defines 0, 2, 3, 4 and 6.");
            if (!colorType.Allows(depth)) throw new InvalidDataException($"the header gives bit depth {depth} for colour type {colorType}, which PNG does not allow.");
            if (data[10] != 0) throw new InvalidDataException($"the header gives compression method {data[10]}; PNG defines only 0 (deflate).");
            if (data[11] != 0) throw new InvalidDataException($"the header gives filter method {data[11]}; PNG defines only 0.");
            if (data[12] > 1) throw new InvalidDataException($"the header gives interlace method {data[12]}; PNG defines 0 (none) and 1 (Adam7).");
            return new Header((int)width, (int)height, depth, colorType, data[12] == 1);
        }
    }
}
