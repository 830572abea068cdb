using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Latent.Tests.Imaging;

/// <summary>What <see cref="PngTestDecoder"/> found in a file.</summary>
internal sealed record DecodedPng(int Width, int Height, int BitDepth, int ColorType, byte[] Pixels, byte[] RowFilters, IReadOnlyList<string> ChunkTypes);

/// <summary>
/// A deliberately plain PNG decoder for 8-bit non-interlaced images, written from the specification and sharing no
/// code with the writer: it checks the signature and every chunk's CRC (with a bit-by-bit CRC, not the writer's
/// table), inflates the IDAT data and undoes the filters.
/// </summary>
internal static class PngTestDecoder
{
    private static readonly byte[] Signature = [137, 80, 78, 71, 13, 10, 26, 10];

    public static DecodedPng Decode(byte[] file)
    {
        Assert.Equal(Signature, file[..8]);
        var types = new List<string>();
        var idat = new MemoryStream();
        int width = 0, height = 0, depth = 0, colorType = -1;
        int at = 8;
        while (at < file.Length)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(file.AsSpan(at));
            string type = Encoding.ASCII.GetString(file, at + 4, 4);
            byte[] data = file[(at + 8)..(at + 8 + length)];
            uint stored = BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(at + 8 + length));
            Assert.True(stored == BitwiseCrc(file.AsSpan(at + 4, 4 + length)), $"Bad CRC in chunk {type}.");
            types.Add(type);
            switch (type)
            {
                case "IHDR":
                    Assert.Equal(13, length);
                    width = BinaryPrimitives.ReadInt32BigEndian(data);
                    height = BinaryPrimitives.ReadInt32BigEndian(data.AsSpan(4));
                    (depth, colorType) = (data[8], data[9]);
                    Assert.Equal([0, 0, 0], data[10..13]);   // deflate, adaptive filtering, no interlace
                    break;
                case "IDAT":
                    idat.Write(data);
                    break;
            }
            at += 12 + length;
        }
        Assert.Equal(file.Length, at);
        Assert.Equal("IHDR", types[0]);
        Assert.Equal("IEND", types[^1]);
        Assert.Equal(8, depth);

        int channels = colorType switch { 0 => 1, 2 => 3, 4 => 2, 6 => 4, _ => throw new InvalidDataException($"Colour type {colorType}.") };
        byte[] raw = Inflate(idat.ToArray());
        int stride = width * channels;
        Assert.Equal((stride + 1) * height, raw.Length);
        var pixels = new byte[stride * height];
        var filters = new byte[height];
        for (int y = 0; y < height; y++)
        {
            filters[y] = raw[y * (stride + 1)];
            for (int i = 0; i < stride; i++)
            {
                int a = i >= channels ? pixels[y * stride + i - channels] : 0;
                int b = y > 0 ? pixels[(y - 1) * stride + i] : 0;
                int c = i >= channels && y > 0 ? pixels[(y - 1) * stride + i - channels] : 0;
                int predictor = filters[y] switch
                {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => (a + b) / 2,
                    4 => Paeth(a, b, c),
                    _ => throw new InvalidDataException($"Filter type {filters[y]}."),
                };
                pixels[y * stride + i] = (byte)(raw[y * (stride + 1) + 1 + i] + predictor);
            }
        }
        return new DecodedPng(width, height, depth, colorType, pixels, filters, types);
    }

    /// <summary>CRC-32 one bit at a time, straight from the definition in the PNG specification's annex.</summary>
    public static uint BitwiseCrc(ReadOnlySpan<byte> bytes)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in bytes)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc >> 1) ^ (0xEDB88320 & (0u - (crc & 1)));
        }
        return ~crc;
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    private static byte[] Inflate(byte[] zlib)
    {
        using var input = new ZLibStream(new MemoryStream(zlib), CompressionMode.Decompress);
        var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }
}
