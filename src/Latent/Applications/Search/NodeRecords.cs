using System.Runtime.CompilerServices;
using Latent.Storage;

namespace Latent.Applications.Search;

/// <summary>
/// Layer 0 of an HNSW graph: one fixed-size record per node, the node's vector and then its neighbour list, in one
/// <see cref="NativeBlock"/> (hnswlib's layout). Scoring a node and expanding it touch the same few cache lines, where
/// a vector array beside a link array would miss twice. Records are padded to whole 64-byte lines (a 32-value code
/// with 32 links is exactly four), and a list that is not full ends at the first −1, so no count shares a line with
/// anything.
/// </summary>
internal sealed unsafe class NodeRecords(int dimension, int links) : IDisposable
{
    private readonly NativeBlock _block = new();

    public int Dimension { get; } = dimension;

    public int RecordBytes { get; } = ((dimension + links) * sizeof(int) + 63) & ~63;

    /// <summary>Memory held.</summary>
    public long Bytes => _block.Bytes;

    /// <summary>The vector of <paramref name="node"/> (64-byte aligned).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float* Vector(int node) => (float*)(_block.Data + (long)node * RecordBytes);

    /// <summary>The neighbour list of <paramref name="node"/>: as many slots as the links given, ending at the first −1 when not full.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int* List(int node) => (int*)(_block.Data + (long)node * RecordBytes + Dimension * sizeof(float));

    /// <summary>Room for <paramref name="nodes"/> records, keeping the first <paramref name="keep"/> (earlier pointers become invalid).</summary>
    public void EnsureCapacity(long nodes, long keep) => _block.Grow(nodes * RecordBytes, keep * RecordBytes);

    /// <summary>Writes the first <paramref name="count"/> records as they lie in memory.</summary>
    public void Write(ChecksummedWriter file, int count) => _block.Write(file, 0, (long)count * RecordBytes);

    /// <summary>Reads <paramref name="count"/> records as <see cref="Write"/> wrote them, replacing any held.</summary>
    public void Read(ChecksummedReader file, int count)
    {
        EnsureCapacity(count, 0);
        _block.Read(file, 0, (long)count * RecordBytes);
    }

    public void Dispose() => _block.Dispose();
}
