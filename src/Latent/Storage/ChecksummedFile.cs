using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Latent.Storage;

/// <summary>
/// Writes a binary file of numbers and arrays (little-endian, as laid out in memory) followed by the
/// <see cref="BlockChecksum"/> of everything before it, so that <see cref="ChecksummedReader"/> can tell a complete file from a damaged or truncated one.
/// Write it through <see cref="AtomicFile"/> so that readers never see half of it.
/// </summary>
internal sealed class ChecksummedWriter(Stream stream)
{
    private readonly BlockChecksum _hash = new();

    /// <summary>Bytes written so far.</summary>
    public long Position { get; private set; }

    public void Write(int value) => Write<int>([value]);

    public void Write(long value) => Write<long>([value]);

    public void Write<T>(ReadOnlySpan<T> values) where T : unmanaged
    {
        for (int start = 0; start < values.Length; start += ChecksummedReader.Chunk<T>())
        {
            ReadOnlySpan<byte> bytes = MemoryMarshal.AsBytes(values.Slice(start, Math.Min(ChecksummedReader.Chunk<T>(), values.Length - start)));
            _hash.Append(bytes);
            stream.Write(bytes);
            Position += bytes.Length;
        }
    }

    /// <summary>Writes zero bytes up to the next multiple of <paramref name="boundary"/>, so that what follows can be mapped into memory aligned.</summary>
    public void Align(int boundary) => Write<byte>(new byte[(boundary - Position % boundary) % boundary]);

    /// <summary>Appends the checksum; nothing may be written after it.</summary>
    public void Finish() => stream.Write(_hash.Finish());
}

/// <summary>Reads a file written by <see cref="ChecksummedWriter"/>; any damage surfaces as one <see cref="InvalidDataException"/> naming the file.</summary>
internal sealed class ChecksummedReader
{
    private const int HashBytes = BlockChecksum.Bytes;
    private readonly Stream _stream;
    private readonly BlockChecksum _hash = new();
    private readonly string _what;
    private long _remaining;

    /// <param name="what">The file as messages name it, e.g. "the saved search graph 'a.db.graph'".</param>
    public ChecksummedReader(Stream stream, string what)
    {
        _stream = stream;
        _what = what;
        _remaining = stream.Length - HashBytes;
        if (!BitConverter.IsLittleEndian) throw new InvalidDataException($"{Capital(what)} can only be read on a little-endian machine.");
    }

    /// <summary>Elements per read or hash call, so that a span's byte length always fits an int.</summary>
    internal static int Chunk<T>() where T : unmanaged => (1 << 26) / Unsafe.SizeOf<T>();

    public int ReadInt32() => ReadArray<int>(1)[0];

    public long ReadInt64() => ReadArray<long>(1)[0];

    /// <summary>An array of <paramref name="count"/> elements, refused before allocating when the file is too short to hold it.</summary>
    public T[] ReadArray<T>(long count) where T : unmanaged
    {
        long bytes = count * Unsafe.SizeOf<T>();
        if (count < 0 || bytes > _remaining || count > Array.MaxLength) throw Damaged("it is truncated or its sizes are wrong");
        var values = new T[count];
        for (int start = 0; start < values.Length; start += Chunk<T>())
        {
            Span<byte> span = MemoryMarshal.AsBytes(values.AsSpan(start, Math.Min(Chunk<T>(), values.Length - start)));
            _stream.ReadExactly(span);
            _hash.Append(span);
        }
        _remaining -= bytes;
        return values;
    }

    /// <summary>Bytes read so far.</summary>
    public long Position => _stream.Position;

    /// <summary>Bytes left before the checksum.</summary>
    public long Remaining => _remaining;

    /// <summary>Skips the padding <see cref="ChecksummedWriter.Align"/> wrote.</summary>
    public void Align(int boundary) => ReadArray<byte>((boundary - Position % boundary) % boundary);

    /// <summary>
    /// Moves past the next <paramref name="count"/> bytes without reading them from the stream, checksumming them from
    /// <paramref name="mapped"/>, the same bytes of the file mapped into memory.
    /// </summary>
    public unsafe void Skip(byte* mapped, long count)
    {
        if (count < 0 || count > _remaining) throw Damaged("it is truncated or its sizes are wrong");
        for (long done = 0; done < count; done += 1 << 26)
            _hash.Append(new ReadOnlySpan<byte>(mapped + done, (int)Math.Min(1 << 26, count - done)));
        _stream.Seek(count, SeekOrigin.Current);
        _remaining -= count;
    }

    /// <summary>Fills <paramref name="target"/> from the file (memory the caller holds outside the managed heap, for example).</summary>
    public void ReadInto(Span<byte> target)
    {
        if (target.Length > _remaining) throw Damaged("it is truncated or its sizes are wrong");
        _stream.ReadExactly(target);
        _hash.Append(target);
        _remaining -= target.Length;
    }

    /// <summary>Checks that the checksum follows and matches what was read, and that nothing comes after it.</summary>
    public void VerifyEnd()
    {
        if (_remaining != 0) throw Damaged("it has more data than its sizes say");
        Span<byte> stored = stackalloc byte[HashBytes];
        _stream.ReadExactly(stored);
        if (!stored.SequenceEqual(_hash.Finish())) throw Damaged("its checksum does not match its content");
    }

    public InvalidDataException Damaged(string why) => new($"{Capital(_what)} is damaged: {why}.");

    private static string Capital(string text) => char.ToUpperInvariant(text[0]) + text[1..];

}
