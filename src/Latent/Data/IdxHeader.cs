using System.Buffers.Binary;

namespace Latent.Data;

/// <summary>
/// The header of an IDX file: magic number <c>00 00 type dims</c>, then one big-endian uint32 per dimension.
/// Parsing checks everything that can be checked before the data is touched, so that a foreign or corrupt file
/// fails with a clear message instead of a huge allocation.
/// </summary>
internal sealed record IdxHeader(IdxElementType ElementType, int[] Shape, long ElementCount)
{
    public const int MaxDimensions = 4;

    public int HeaderBytes => 4 + 4 * Shape.Length;

    public long PayloadBytes => ElementCount * ElementType.Size();

    public static IdxHeader Read(Stream stream, string path)
    {
        Span<byte> magic = stackalloc byte[4];
        if (stream.ReadAtLeast(magic, 4, throwOnEndOfStream: false) < 4)
            throw Corrupt(path, "is too short to be an IDX file");
        if (magic[0] != 0 || magic[1] != 0)
            throw Corrupt(path, $"is not an IDX file: it starts with 0x{magic[0]:X2}{magic[1]:X2} instead of two zero bytes");
        if (!IdxElementTypes.IsKnown(magic[2]))
            throw Corrupt(path, $"is not an IDX file: its element type code 0x{magic[2]:X2} is none of 0x08, 0x09, 0x0B, 0x0C, 0x0D, 0x0E");
        int rank = magic[3];
        if (rank is < 1 or > MaxDimensions)
            throw Corrupt(path, $"is not an IDX file Latent reads: it declares {rank} dimensions, not 1 to {MaxDimensions}");

        Span<byte> dims = stackalloc byte[4 * rank];
        if (stream.ReadAtLeast(dims, dims.Length, throwOnEndOfStream: false) < dims.Length)
            throw Corrupt(path, "is truncated inside its IDX header");
        var type = (IdxElementType)magic[2];
        var shape = new int[rank];
        long count = 1;
        for (int i = 0; i < rank; i++)
        {
            uint d = BinaryPrimitives.ReadUInt32BigEndian(dims[(4 * i)..]);
            if (d > int.MaxValue) throw Corrupt(path, $"declares dimension {i} as {d}, which is larger than any array can hold");
            shape[i] = (int)d;
            count *= d;   // both factors ≤ 2^31 after the check below, so this cannot overflow a long
            if (count * type.Size() > Array.MaxLength)
                throw Corrupt(path, $"declares a shape of [{string.Join(", ", ReadAll(dims))}] {type} values, more than one array can hold");
        }
        return new IdxHeader(type, shape, count);
    }

    private static uint[] ReadAll(ReadOnlySpan<byte> dims)
    {
        var values = new uint[dims.Length / 4];
        for (int i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadUInt32BigEndian(dims[(4 * i)..]);
        return values;
    }

    /// <summary>The one error type for unreadable data files: a sentence that names the file and the problem.</summary>
    public static InvalidDataException Corrupt(string path, string problem) => new($"The file '{path}' {problem}.");
}
