using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Latent.Storage;

namespace Latent.Applications.Search;

/// <summary>
/// Layer 0 of an HNSW graph: one fixed-size record per node, the node's vector and then its neighbour list, in one
/// block of native memory (hnswlib's layout). Scoring a node and expanding it touch the same few cache lines, where a
/// vector array beside a link array would miss twice. Records are padded to whole 64-byte lines (a 32-value code with
/// 32 links is exactly four), and a list that is not full ends at the first −1, so no count shares a line with
/// anything. The block is asked to be backed by 2 MB pages: a search jumps between records hundreds of megabytes
/// apart, and with 4 KB pages nearly every jump also misses the address-translation cache.
/// </summary>
internal sealed unsafe class NodeRecords : IDisposable
{
    private const nuint HugePage = 2 << 20;
    private byte* _data;
    private long _capacity;

    /// <param name="dimension">Values per vector.</param>
    /// <param name="links">Neighbours per list.</param>
    public NodeRecords(int dimension, int links)
    {
        Dimension = dimension;
        Links = links;
        RecordBytes = ((dimension + links) * sizeof(int) + 63) & ~63;
    }

    public int Dimension { get; }

    /// <summary>Neighbours a list holds at most.</summary>
    public int Links { get; }

    public int RecordBytes { get; }

    /// <summary>Memory held.</summary>
    public long Bytes => _capacity * RecordBytes;

    /// <summary>The vector of <paramref name="node"/> (64-byte aligned).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float* Vector(int node) => (float*)(_data + (long)node * RecordBytes);

    /// <summary>The neighbour list of <paramref name="node"/>: <see cref="Links"/> slots, ending at the first −1 when not full.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int* List(int node) => (int*)(_data + (long)node * RecordBytes + Dimension * sizeof(float));

    /// <summary>Room for <paramref name="nodes"/> records, keeping those held (the block moves: earlier pointers become invalid).</summary>
    public void EnsureCapacity(long nodes, long keep)
    {
        if (nodes <= _capacity) return;
        long capacity = Math.Max(nodes, _capacity * 2);
        nuint bytes = (nuint)(capacity * RecordBytes);
        var data = (byte*)NativeMemory.AlignedAlloc(bytes, bytes >= HugePage ? HugePage : 64);
        if (bytes >= HugePage) AdviseHugePages(data, bytes);
        if (_data != null) Buffer.MemoryCopy(_data, data, (long)bytes, keep * RecordBytes);
        NativeMemory.AlignedFree(_data);
        _data = data;
        _capacity = capacity;
    }

    /// <summary>Writes the first <paramref name="count"/> records as they lie in memory.</summary>
    public void Write(ChecksummedWriter file, int count)
    {
        for (long first = 0; first < count; first += ChunkRecords)
            file.Write(new ReadOnlySpan<byte>(_data + first * RecordBytes, (int)(Math.Min(ChunkRecords, count - first) * RecordBytes)));
    }

    /// <summary>Reads <paramref name="count"/> records as <see cref="Write"/> wrote them, replacing any held.</summary>
    public void Read(ChecksummedReader file, int count)
    {
        EnsureCapacity(count, 0);
        for (long first = 0; first < count; first += ChunkRecords)
            file.ReadInto(new Span<byte>(_data + first * RecordBytes, (int)(Math.Min(ChunkRecords, count - first) * RecordBytes)));
    }

    /// <summary>Records per span when reading or writing, so that a span's byte length fits an int.</summary>
    private long ChunkRecords => (1 << 26) / RecordBytes;

    public void Dispose()
    {
        NativeMemory.AlignedFree(_data);
        _data = null;
        _capacity = 0;
        GC.SuppressFinalize(this);
    }

    ~NodeRecords() => NativeMemory.AlignedFree(_data);

    /// <summary>Asks Linux for transparent huge pages on the block (where the kernel allows them only on request); elsewhere nothing happens.</summary>
    private static void AdviseHugePages(byte* data, nuint bytes)
    {
        if (!OperatingSystem.IsLinux()) return;
        try
        {
            madvise(data, bytes, 14);   // MADV_HUGEPAGE; a refusal only costs speed
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
        }
    }

    [DllImport("libc.so.6")]
    private static extern int madvise(void* address, nuint length, int advice);
}
