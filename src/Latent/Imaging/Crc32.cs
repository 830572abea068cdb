namespace Latent.Imaging;

/// <summary>
/// The CRC-32 that PNG chunks (and zlib, gzip) use: reflected polynomial 0xEDB88320, initial value and final
/// XOR 0xFFFFFFFF. Table-driven, one byte per step.
/// </summary>
internal static class Crc32
{
    private static readonly uint[] Table = BuildTable();

    /// <summary>The CRC of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => Append(0, data);

    /// <summary>
    /// Extends a finished CRC with more bytes: <c>Append(Compute(a), b) == Compute(a + b)</c>, so a chunk's type and
    /// data can be hashed without copying them together.
    /// </summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        uint c = ~crc;
        foreach (byte b in data)
            c = Table[(c ^ b) & 0xFF] ^ (c >> 8);
        return ~c;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++)
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }
}
