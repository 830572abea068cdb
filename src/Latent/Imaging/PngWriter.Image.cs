using System.Buffers.Binary;
using System.IO.Compression;

namespace Latent.Imaging;

public static partial class PngWriter
{
    /// <summary>
    /// Encodes a <see cref="PngImage"/> of any colour type and bit depth (gray at 1–16 bits, palette at 1–8 bits with
    /// its transparency, RGB, gray + alpha and RGBA at 8 or 16 bits), plain or Adam7-interlaced. Reading the result with
    /// <see cref="PngReader"/> gives back the same samples.
    /// </summary>
    /// <example>
    /// <code>
    /// var image = new PngImage(2, 1, PngColorType.Gray, 16, [0, 65535]);
    /// byte[] png = PngWriter.Encode(image, interlace: true);
    /// </code>
    /// </example>
    public static byte[] Encode(PngImage image, bool interlace = false)
    {
        ArgumentNullException.ThrowIfNull(image);
        var file = new MemoryStream();
        file.Write(Signature);
        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, image.Width);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], image.Height);
        header[8] = (byte)image.BitDepth;
        header[9] = (byte)image.ColorType;
        header[10] = 0;
        header[11] = 0;
        header[12] = interlace ? (byte)1 : (byte)0;
        WriteChunk(file, "IHDR"u8, header);
        if (image.Palette is { } palette) WriteChunk(file, "PLTE"u8, palette);
        if (image.PaletteAlpha is { } alpha) WriteChunk(file, "tRNS"u8, alpha);

        byte[] compressed = DeflatePasses(image, interlace);
        for (int start = 0; start < compressed.Length; start += MaxIdatLength)
            WriteChunk(file, "IDAT"u8, compressed.AsSpan(start, Math.Min(MaxIdatLength, compressed.Length - start)));
        WriteChunk(file, "IEND"u8, []);
        return file.ToArray();
    }

    /// <summary>Encodes and writes a <see cref="PngImage"/> atomically (see <see cref="Encode(PngImage, bool)"/>).</summary>
    public static void Write(string path, PngImage image, bool interlace = false) => WriteFile(path, Encode(image, interlace));

    private static byte[] DeflatePasses(PngImage image, bool interlace)
    {
        int channels = image.ColorType.Samples(), bitsPerPixel = channels * image.BitDepth;
        var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            foreach (Adam7Pass pass in interlace ? Adam7Pass.Interlaced : Adam7Pass.Progressive)
            {
                int rows = pass.Rows(image.Height), columns = pass.Columns(image.Width);
                if (rows == 0 || columns == 0) continue;
                int rowBytes = (int)pass.RowBytes(image.Width, bitsPerPixel);
                var filter = new PngRowFilter(rowBytes, Math.Max(1, bitsPerPixel / 8));
                byte[] row = new byte[rowBytes], prior = new byte[rowBytes];   // the row above the first counts as zeros
                for (int r = 0; r < rows; r++)
                {
                    Pack(image, channels, ((pass.Y0 + r * pass.Dy) * image.Width + pass.X0) * channels, pass.Dx * channels, columns, row);
                    zlib.Write(filter.Filter(row, prior));
                    (row, prior) = (prior, row);
                }
            }
        }
        return compressed.ToArray();
    }

    /// <summary>Packs <paramref name="pixels"/> pixels (pixel i at samples[start + i·step ..]) into one row at the image's depth.</summary>
    private static void Pack(PngImage image, int channels, int start, int step, int pixels, byte[] row)
    {
        ushort[] samples = image.Samples;
        switch (image.BitDepth)
        {
            case 8:
                for (int p = 0, i = 0; p < pixels; p++, start += step)
                    for (int c = 0; c < channels; c++) row[i++] = (byte)samples[start + c];
                break;
            case 16:
                for (int p = 0, i = 0; p < pixels; p++, start += step)
                    for (int c = 0; c < channels; c++, i += 2) BinaryPrimitives.WriteUInt16BigEndian(row.AsSpan(i), samples[start + c]);
                break;
            default:   // 1, 2 or 4 bits, one channel; unused low bits of the last byte stay zero
                Array.Clear(row);
                int depth = image.BitDepth, perByte = 8 / depth;
                for (int p = 0; p < pixels; p++, start += step)
                    row[p / perByte] |= (byte)(samples[start] << (8 - depth * (p % perByte + 1)));
                break;
        }
    }
}
