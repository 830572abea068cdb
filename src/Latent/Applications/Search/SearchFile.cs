using System.IO.MemoryMappedFiles;
using System.Text;
using Latent.Storage;

namespace Latent.Applications.Search;

/// <summary>
/// The side file of an SQLite index, <c>{index}.graph</c>: the index's HNSW graphs, with its codes, ids and metadata in
/// the layout searches use, so that a new process answers its first query without reading every row or building a
/// graph. It is a cache of the SQLite file, never the only copy: it records the store's state token
/// (<see cref="SqliteLatentStore.State"/>), which every write to the store changes, and a file whose token differs is
/// out of date. Layout (little-endian, then a checksum of all of it, see <see cref="ChecksummedWriter"/>):
/// <code>
/// "LATENTG1", version, code size, state (UTF-8), codes (CodePanels), ids and metadata (UTF-8 with offsets; "" for a vacated slot), graphs (HnswGraph each)
/// </code>
/// The codes' values start on a 64-byte boundary of the file, and a reader maps them rather than reading them.
/// </summary>
internal static class SearchFile
{
    private const int Version = 2;
    private static ReadOnlySpan<byte> Magic => "LATENTG1"u8;

    /// <summary>What the file holds: slots numbered as the codes and graph nodes are, null where an item was removed.</summary>
    public sealed record Contents(CodePanels Codes, string?[] Ids, string?[] Metadata, IReadOnlyList<HnswGraph> Graphs);

    /// <summary>The side file of the index file at <paramref name="indexPath"/>.</summary>
    public static string PathOf(string indexPath) => indexPath + ".graph";

    /// <summary>Describes the file for messages.</summary>
    public static string Describe(string path) => $"the saved search graph '{path}'";

    /// <summary>Writes the file atomically (readers see the old one or the new one).</summary>
    public static void Write(string path, string state, CodePanels codes, IReadOnlyList<string?> ids, IReadOnlyList<string?> metadata, IReadOnlyCollection<HnswGraph> graphs) =>
        AtomicFile.Write(path, stream =>
        {
            var buffered = new BufferedStream(stream, 1 << 20);   // not disposed: that would close the stream AtomicFile still flushes
            var file = new ChecksummedWriter(buffered);
            file.Write<byte>(Magic);
            file.Write(Version);
            file.Write(codes.Dimension);
            WriteStrings(file, [state]);
            codes.Write(file);
            WriteStrings(file, ids);
            WriteStrings(file, metadata);
            file.Write(graphs.Count);
            foreach (HnswGraph graph in graphs) graph.Write(file);
            file.Finish();
            buffered.Flush();
        });

    /// <summary>The state token the file was written for, read from its start only.</summary>
    /// <exception cref="InvalidDataException">The file is not a search graph of this version, or too short to be one.</exception>
    public static string ReadState(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 12);
        var file = new ChecksummedReader(stream, Describe(path));
        if (!Header(file, out _)) throw file.Damaged("it is not a Latent search graph of this version");
        return ReadStrings(file)[0] ?? "";
    }

    /// <summary>Everything in the file (without its graphs unless <paramref name="withGraphs"/>), checked against its checksum.</summary>
    /// <exception cref="InvalidDataException">The file is damaged, truncated or of another version, or its codes are not <paramref name="dimension"/> values long.</exception>
    public static Contents Read(string path, int dimension, bool withGraphs = true)
    {
        string what = Describe(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        var file = new ChecksummedReader(stream, what);
        try
        {
            if (!Header(file, out int size)) throw file.Damaged("it is not a Latent search graph of this version");
            if (size != dimension) throw file.Damaged($"it holds codes of {size} values, but the index holds codes of {dimension}");
            ReadStrings(file);   // the state, which the caller has checked
            // The codes stay in the file, paged in as searches touch them (their views outlive the map object).
            using var map = MemoryMappedFile.CreateFromFile(stream, null, 0, MemoryMappedFileAccess.CopyOnWrite, HandleInheritability.None, leaveOpen: true);
            CodePanels codes = CodePanels.Read(file, dimension, map);
            var graphs = new List<HnswGraph>();
            try
            {
                string?[] ids = ReadStrings(file), metadata = ReadStrings(file);
                int count = file.ReadInt32();
                if (ids.Length != codes.Count || metadata.Length != codes.Count || count is < 0 or > 2) throw file.Damaged("its parts do not fit together");
                if (!withGraphs && file.Remaining > 0)
                {
                    using var rest = map.CreateViewAccessor(file.Position, file.Remaining, MemoryMappedFileAccess.Read);
                    Checksum(file, rest);
                    count = 0;
                }
                for (int g = 0; g < count; g++)
                {
                    graphs.Add(HnswGraph.Read(file, dimension));
                    if (graphs[g].Count != codes.Count) throw file.Damaged("its graph does not hold one node per code");
                }
                file.VerifyEnd();
                return new Contents(codes, ids, metadata, graphs);
            }
            catch
            {
                codes.Dispose();
                foreach (HnswGraph graph in graphs) graph.Dispose();
                throw;
            }
        }
        catch (EndOfStreamException)
        {
            throw file.Damaged("it is truncated");
        }
    }

    /// <summary>Checksums the rest of the file from <paramref name="view"/> (the same bytes, mapped) without reading them.</summary>
    private static unsafe void Checksum(ChecksummedReader file, MemoryMappedViewAccessor view)
    {
        byte* start = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref start);
        try
        {
            file.Skip(start + view.PointerOffset, file.Remaining);
        }
        finally
        {
            view.SafeMemoryMappedViewHandle.ReleasePointer();
        }
    }

    private static bool Header(ChecksummedReader file, out int dimension)
    {
        dimension = 0;
        if (!file.ReadArray<byte>(Magic.Length).AsSpan().SequenceEqual(Magic) || file.ReadInt32() != Version) return false;
        dimension = file.ReadInt32();
        return dimension > 0;
    }

    private static void WriteStrings(ChecksummedWriter file, IReadOnlyList<string?> values)
    {
        var offsets = new long[values.Count + 1];
        for (int i = 0; i < values.Count; i++) offsets[i + 1] = offsets[i] + Encoding.UTF8.GetByteCount(values[i] ?? "");
        var bytes = new byte[offsets[^1]];
        for (int i = 0; i < values.Count; i++) Encoding.UTF8.GetBytes(values[i] ?? "", bytes.AsSpan((int)offsets[i]));
        file.Write(values.Count);
        file.Write<long>(offsets);
        file.Write<byte>(bytes);
    }

    private static string?[] ReadStrings(ChecksummedReader file)
    {
        int count = file.ReadInt32();
        if (count < 0) throw file.Damaged("its number of strings is negative");
        long[] offsets = file.ReadArray<long>(count + 1L);
        long length = offsets[^1];
        byte[] bytes = file.ReadArray<byte>(length);
        var values = new string?[count];
        for (int i = 0; i < count; i++)
        {
            long start = offsets[i], end = offsets[i + 1];
            if (start < 0 || end < start || end > length) throw file.Damaged("its string offsets are out of order");
            values[i] = end == start ? null
                : bytes.AsSpan((int)start, (int)(end - start)).SequenceEqual("{}"u8) ? "{}"   // items without metadata share one string
                : Encoding.UTF8.GetString(bytes, (int)start, (int)(end - start));
        }
        return values;
    }
}
