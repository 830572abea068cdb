using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Latent.Engine;

namespace Latent.Data;

/// <summary>
/// An array read from an IDX file, the format of MNIST and its relatives: a magic number (two zero bytes, an
/// element type code, the number of dimensions), one big-endian uint32 per dimension, then the values in
/// row-major order, big-endian. Files may be gzip-compressed or raw; compression is recognised by its magic bytes.
/// </summary>
/// <example>
/// <code>
/// IdxImages train = IdxFile.ReadImages("mnist/train-images-idx3-ubyte.gz");   // pixels [60000, 784] in [0, 1]
/// int[] labels = IdxFile.ReadLabels("mnist/train-labels-idx1-ubyte.gz");
/// </code>
/// </example>
public sealed class IdxFile
{
    // Deflate cannot expand data by more than about 1032:1; a header promising more than this many bytes per
    // compressed byte is corrupt, and saying so is better than trying to allocate what it promises.
    private const long MaxGzipRatio = 1100;
    // Gzip data arrives in pieces no larger than this until it proves to be as long as its header claims.
    private const int GzipFirstChunk = 64 << 20;

    private readonly byte[] _values;   // host byte order, ElementCount × element size

    private IdxFile(string path, IdxElementType elementType, int[] shape, byte[] values)
    {
        Path = path;
        ElementType = elementType;
        _shape = shape;
        _values = values;
    }

    private readonly int[] _shape;

    /// <summary>The file this array was read from.</summary>
    public string Path { get; }

    /// <summary>The element type stored in the file.</summary>
    public IdxElementType ElementType { get; }

    /// <summary>The size of each dimension, e.g. [60000, 28, 28] for MNIST's training images.</summary>
    public IReadOnlyList<int> Shape => _shape;

    /// <summary>The number of values (the product of <see cref="Shape"/>).</summary>
    public int ElementCount => _values.Length / ElementType.Size();

    /// <summary>
    /// Reads an IDX file, gzip-compressed or raw.
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not IDX, its header is corrupt, or it is truncated or too long;
    /// the message names the file and the problem. Sizes are checked before the data is allocated.</exception>
    public static IdxFile Read(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var (content, gzip, lengthOnDisk) = DataFile.OpenRead(path);
        using (content)
        {
            try
            {
                var header = IdxHeader.Read(content, path);
                byte[] values = gzip ? ReadGzipPayload(content, header, lengthOnDisk, path) : ReadRawPayload(content, header, lengthOnDisk, path);
                ToHostOrder(values, header.ElementType);
                return new IdxFile(path, header.ElementType, header.Shape, values);
            }
            catch (InvalidDataException e) when (!e.Message.Contains(path, StringComparison.Ordinal))
            {
                // GZipStream's own errors do not say which file was bad.
                throw IdxHeader.Corrupt(path, $"is not valid gzip data ({e.Message.TrimEnd('.')})");
            }
        }
    }

    /// <summary>
    /// Reads an IDX file of unsigned-byte images shaped [count, height, width] and scales the pixels from 0–255 to [0, 1].
    /// </summary>
    /// <exception cref="InvalidDataException">The file is unreadable (see <see cref="Read"/>), or does not hold
    /// three-dimensional unsigned-byte data.</exception>
    public static IdxImages ReadImages(string path)
    {
        IdxFile idx = Read(path);
        if (idx._shape.Length != 3)
            throw IdxHeader.Corrupt(path, $"holds an array of shape {FormatShape(idx._shape)}, not images of shape [count, height, width]");
        if (idx.ElementType != IdxElementType.UnsignedByte)
            throw IdxHeader.Corrupt(path, $"holds {idx.ElementType} values, not unsigned-byte pixels");
        int count = idx._shape[0], height = idx._shape[1], width = idx._shape[2];
        Tensor pixels = Tensor.Zeros(count, height * width);
        Span<float> target = pixels.Span;
        ReadOnlySpan<byte> source = idx._values;
        for (int i = 0; i < source.Length; i++) target[i] = source[i] / 255f;   // division, not × (1/255): exact 1 for 255
        return new IdxImages(pixels, height, width);
    }

    /// <summary>Reads an IDX file of integer labels shaped [count] (MNIST's <c>*-labels-idx1-ubyte</c>).</summary>
    /// <exception cref="InvalidDataException">The file is unreadable (see <see cref="Read"/>), or is not a one-dimensional integer array.</exception>
    public static int[] ReadLabels(string path)
    {
        IdxFile idx = Read(path);
        if (idx._shape.Length != 1 || !idx.ElementType.IsInteger())
            throw IdxHeader.Corrupt(path, $"holds {idx.ElementType} values of shape {FormatShape(idx._shape)}, not one integer label per item");
        return idx.ToInt32Array();
    }

    /// <summary>The values as float32, row-major. Int32 and double values beyond float precision are rounded.</summary>
    public float[] ToSingleArray()
    {
        var result = new float[ElementCount];
        switch (ElementType)
        {
            case IdxElementType.Single: MemoryMarshal.Cast<byte, float>(_values).CopyTo(result); break;
            case IdxElementType.Double: Convert(MemoryMarshal.Cast<byte, double>(_values), result, static v => (float)v); break;
            default: Convert(ToInt32Array(), result, static v => v); break;
        }
        return result;
    }

    /// <summary>The values as float64, row-major; exact for every element type.</summary>
    public double[] ToDoubleArray()
    {
        var result = new double[ElementCount];
        switch (ElementType)
        {
            case IdxElementType.Single: Convert(MemoryMarshal.Cast<byte, float>(_values), result, static v => v); break;
            case IdxElementType.Double: MemoryMarshal.Cast<byte, double>(_values).CopyTo(result); break;
            default: Convert(ToInt32Array(), result, static v => v); break;
        }
        return result;
    }

    /// <summary>The values as int32, row-major.</summary>
    /// <exception cref="InvalidOperationException">The file holds floating-point values.</exception>
    public int[] ToInt32Array()
    {
        var result = new int[ElementCount];
        switch (ElementType)
        {
            case IdxElementType.UnsignedByte: Convert<byte, int>(_values, result, static v => v); break;
            case IdxElementType.SignedByte: Convert(MemoryMarshal.Cast<byte, sbyte>(_values), result, static v => v); break;
            case IdxElementType.Int16: Convert(MemoryMarshal.Cast<byte, short>(_values), result, static v => v); break;
            case IdxElementType.Int32: MemoryMarshal.Cast<byte, int>(_values).CopyTo(result); break;
            default: throw new InvalidOperationException($"The file '{Path}' holds {ElementType} values, which are not integers.");
        }
        return result;
    }

    private static byte[] ReadRawPayload(Stream content, IdxHeader header, long lengthOnDisk, string path)
    {
        long available = lengthOnDisk - header.HeaderBytes;
        if (available < header.PayloadBytes)
            throw Truncated(path, header, available);
        if (available > header.PayloadBytes)
            throw IdxHeader.Corrupt(path, $"is longer than its header {FormatShape(header.Shape)} says: {available - header.PayloadBytes} bytes follow the {header.PayloadBytes} bytes of data");
        var values = GC.AllocateUninitializedArray<byte>((int)header.PayloadBytes);
        if (content.ReadAtLeast(values, values.Length, throwOnEndOfStream: false) < values.Length)
            throw Truncated(path, header, available);   // the file shrank while we read it
        return values;
    }

    private static byte[] ReadGzipPayload(Stream content, IdxHeader header, long lengthOnDisk, string path)
    {
        long expected = header.PayloadBytes;
        if (expected + header.HeaderBytes > lengthOnDisk * MaxGzipRatio)
            throw IdxHeader.Corrupt(path, $"has a corrupt header: {FormatShape(header.Shape)} {header.ElementType} values need {expected} bytes, more than its {lengthOnDisk} compressed bytes can hold");
        // Grow the buffer as data actually arrives, so a header that lies within the ratio bound still
        // costs at most twice the real data.
        var values = GC.AllocateUninitializedArray<byte>((int)Math.Min(expected, GzipFirstChunk));
        int filled = 0;
        while (true)
        {
            filled += content.ReadAtLeast(values.AsSpan(filled), values.Length - filled, throwOnEndOfStream: false);
            if (filled < values.Length) throw Truncated(path, header, filled);
            if (filled == expected) break;
            Array.Resize(ref values, (int)Math.Min(expected, 2L * values.Length));
        }
        if (content.ReadByte() >= 0)
            throw IdxHeader.Corrupt(path, $"is longer than its header {FormatShape(header.Shape)} says: more bytes follow the {expected} bytes of data");
        return values;
    }

    private static InvalidDataException Truncated(string path, IdxHeader header, long available) =>
        IdxHeader.Corrupt(path, $"is truncated: its header promises {FormatShape(header.Shape)} {header.ElementType} values ({header.PayloadBytes} bytes) but only {available} bytes follow");

    /// <summary>Swaps multi-byte values from the file's big-endian order to the machine's, in place.</summary>
    private static void ToHostOrder(byte[] values, IdxElementType type)
    {
        if (!BitConverter.IsLittleEndian) return;
        switch (type.Size())
        {
            case 2: var shorts = MemoryMarshal.Cast<byte, short>(values.AsSpan()); BinaryPrimitives.ReverseEndianness(shorts, shorts); break;
            case 4: var ints = MemoryMarshal.Cast<byte, int>(values.AsSpan()); BinaryPrimitives.ReverseEndianness(ints, ints); break;
            case 8: var longs = MemoryMarshal.Cast<byte, long>(values.AsSpan()); BinaryPrimitives.ReverseEndianness(longs, longs); break;
        }
    }

    private static void Convert<TFrom, TTo>(ReadOnlySpan<TFrom> source, Span<TTo> target, Func<TFrom, TTo> convert)
    {
        for (int i = 0; i < source.Length; i++) target[i] = convert(source[i]);
    }

    internal static string FormatShape(IReadOnlyList<int> shape) => "[" + string.Join(", ", shape) + "]";
}
