using System.Buffers.Binary;
using System.Numerics;

namespace Latent.Applications.Compression;

/// <summary>
/// The <c>.lat</c> file of one compressed image: a 32-byte header, then the range-coded latents.
/// <code>
/// offset size  field
///      0    4  magic 0x89 'L' 'A' 'T' (the high byte catches transfers that strip the eighth bit, as PNG's does)
///      4    1  format version (1)
///      5    1  quality (1-based index into the codec's qualities)
///      6    1  channels of the original (1 gray, 3 colour); the codec always codes colour
///      7    1  reserved (0)
///      8    4  width, little-endian
///     12    4  height, little-endian
///     16    8  the codec's fingerprint (the first 8 bytes of its SHA-256 model fingerprint)
///     24    4  payload length in bytes, little-endian
///     28    4  CRC-32C of bytes 0–27 and of the payload, little-endian
///     32    …  payload
/// </code>
/// </summary>
internal sealed record LatContainer(int Width, int Height, int Quality, int Channels, byte[] Fingerprint, byte[] Payload)
{
    /// <summary>The format version this code writes and reads.</summary>
    public const byte Version = 1;
    private const int HeaderSize = 32, FingerprintSize = 8;
    private static ReadOnlySpan<byte> Magic => [0x89, (byte)'L', (byte)'A', (byte)'T'];

    /// <summary>The file's bytes.</summary>
    public byte[] ToBytes()
    {
        var bytes = new byte[HeaderSize + Payload.Length];
        Span<byte> header = bytes.AsSpan(0, HeaderSize);
        Magic.CopyTo(header);
        header[4] = Version;
        header[5] = checked((byte)Quality);
        header[6] = checked((byte)Channels);
        BinaryPrimitives.WriteInt32LittleEndian(header[8..], Width);
        BinaryPrimitives.WriteInt32LittleEndian(header[12..], Height);
        Fingerprint.AsSpan(0, FingerprintSize).CopyTo(header[16..]);
        BinaryPrimitives.WriteInt32LittleEndian(header[24..], Payload.Length);
        Payload.CopyTo(bytes, HeaderSize);
        BinaryPrimitives.WriteUInt32LittleEndian(header[28..], Checksum(header[..28], Payload));
        return bytes;
    }

    /// <summary>Reads a container, checking everything but whether a codec can decode it.</summary>
    /// <param name="name">How messages name the data: "'photo.lat'" for a file.</param>
    /// <exception cref="InvalidDataException">Not a .lat file, another version, truncated, damaged, or sizes that cannot be.</exception>
    public static LatContainer Parse(ReadOnlySpan<byte> bytes, string name = "the data")
    {
        if (bytes.Length < Magic.Length || !bytes[..Magic.Length].SequenceEqual(Magic))
            throw new InvalidDataException($"{Capitalised(name)} is not a Latent compressed image (.lat).");
        if (bytes.Length < HeaderSize) throw new InvalidDataException($"{Capitalised(name)} is truncated: it ends inside the .lat header.");
        if (bytes[4] != Version) throw new InvalidDataException($"{Capitalised(name)} uses .lat version {bytes[4]}; this version of Latent reads version {Version}.");
        int width = BinaryPrimitives.ReadInt32LittleEndian(bytes[8..]), height = BinaryPrimitives.ReadInt32LittleEndian(bytes[12..]);
        int length = BinaryPrimitives.ReadInt32LittleEndian(bytes[24..]);
        if (length < 0 || (long)HeaderSize + length > bytes.Length)
            throw new InvalidDataException($"{Capitalised(name)} is truncated: its header promises {length} bytes of data, but {Math.Max(0, bytes.Length - HeaderSize)} follow.");
        ReadOnlySpan<byte> payload = bytes.Slice(HeaderSize, length);
        if (bytes.Length != HeaderSize + length || BinaryPrimitives.ReadUInt32LittleEndian(bytes[28..]) != Checksum(bytes[..28], payload))
            throw new InvalidDataException($"{Capitalised(name)} is damaged: its checksum does not match its content.");
        if (width < 1 || height < 1 || bytes[5] < 1 || bytes[6] is not (1 or 3))
            throw new InvalidDataException($"{Capitalised(name)} has an impossible header ({width}×{height} pixels, quality {bytes[5]}, {bytes[6]} channels).");
        return new LatContainer(width, height, bytes[5], bytes[6], bytes.Slice(16, FingerprintSize).ToArray(), payload.ToArray());
    }

    /// <summary>The fingerprint field for a model fingerprint in hex (its first 8 bytes).</summary>
    public static byte[] FingerprintOf(string hex) => Convert.FromHexString(hex.AsSpan(0, 2 * FingerprintSize));

    private static uint Checksum(ReadOnlySpan<byte> header, ReadOnlySpan<byte> payload) => ~Crc32C(Crc32C(uint.MaxValue, header), payload);

    private static uint Crc32C(uint crc, ReadOnlySpan<byte> data)
    {
        foreach (byte b in data) crc = BitOperations.Crc32C(crc, b);
        return crc;
    }

    /// <summary>A name for the start of a sentence: "the data" → "The data"; a quoted path stays as it is.</summary>
    internal static string Capitalised(string name) => name.Length > 0 && char.IsLower(name[0]) ? char.ToUpperInvariant(name[0]) + name[1..] : name;
}
