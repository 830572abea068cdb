using System.Buffers.Binary;
using System.IO.Compression;
using Latent.Data;

namespace Latent.Tests.Data;

/// <summary>Writes IDX files byte by byte, independently of the reader under test.</summary>
internal static class IdxTestFiles
{
    public static byte[] Bytes(IdxElementType type, int[] shape, double[] values)
    {
        var stream = new MemoryStream();
        stream.Write([0, 0, (byte)type, (byte)shape.Length]);
        Span<byte> buffer = stackalloc byte[8];
        foreach (int d in shape)
        {
            BinaryPrimitives.WriteUInt32BigEndian(buffer, (uint)d);
            stream.Write(buffer[..4]);
        }
        foreach (double v in values)
        {
            int size;
            switch (type)
            {
                case IdxElementType.UnsignedByte: buffer[0] = (byte)v; size = 1; break;
                case IdxElementType.SignedByte: buffer[0] = (byte)(sbyte)v; size = 1; break;
                case IdxElementType.Int16: BinaryPrimitives.WriteInt16BigEndian(buffer, (short)v); size = 2; break;
                case IdxElementType.Int32: BinaryPrimitives.WriteInt32BigEndian(buffer, (int)v); size = 4; break;
                case IdxElementType.Single: BinaryPrimitives.WriteSingleBigEndian(buffer, (float)v); size = 4; break;
                default: BinaryPrimitives.WriteDoubleBigEndian(buffer, v); size = 8; break;
            }
            stream.Write(buffer[..size]);
        }
        return stream.ToArray();
    }

    public static byte[] Gzip(byte[] raw)
    {
        var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(raw);
        return output.ToArray();
    }

    public static string Write(string path, IdxElementType type, int[] shape, double[] values, bool gzip = false)
    {
        byte[] raw = Bytes(type, shape, values);
        File.WriteAllBytes(path, gzip ? Gzip(raw) : raw);
        return path;
    }

    /// <summary>Unsigned-byte images [count, height, width] whose pixel i of image n is (n * 7 + i) mod 256.</summary>
    public static string WriteImages(string path, int count, int height, int width, bool gzip = true) =>
        Write(path, IdxElementType.UnsignedByte, [count, height, width],
            [.. Enumerable.Range(0, count * height * width).Select(i => (double)((i / (height * width) * 7 + i % (height * width)) % 256))], gzip);

    public static string WriteLabels(string path, int[] labels, bool gzip = true) =>
        Write(path, IdxElementType.UnsignedByte, [labels.Length], [.. labels.Select(l => (double)l)], gzip);
}
