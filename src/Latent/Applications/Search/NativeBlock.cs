using System.Runtime.InteropServices;
using Latent.Storage;

namespace Latent.Applications.Search;

/// <summary>
/// One large array of a search index (codes, graph records) in native memory: 64-byte aligned and, from 2 MB up,
/// asked to be backed by 2 MB pages. A search jumps between places hundreds of megabytes apart, and with 4 KB pages
/// nearly every jump also misses the address-translation cache; filling a fresh array page by page costs a fault per
/// 4 KB, which on a virtual machine made reading a 128 MB array take most of a second.
/// </summary>
internal sealed unsafe class NativeBlock : IDisposable
{
    private const nuint HugePage = 2 << 20;

    public byte* Data { get; private set; }

    public long Bytes { get; private set; }

    /// <summary>Grows the block to <paramref name="bytes"/>, keeping its first <paramref name="keep"/> bytes (the block moves: earlier pointers become invalid; the rest is undefined).</summary>
    public void Grow(long bytes, long keep)
    {
        if (bytes <= Bytes) return;
        var data = (byte*)NativeMemory.AlignedAlloc((nuint)bytes, (nuint)bytes >= HugePage ? HugePage : 64);
        if ((nuint)bytes >= HugePage) AdviseHugePages(data, (nuint)bytes);
        if (Data != null) Buffer.MemoryCopy(Data, data, bytes, Math.Min(keep, Bytes));
        NativeMemory.AlignedFree(Data);
        Data = data;
        Bytes = bytes;
    }

    /// <summary>Writes bytes [start, start + count) of the block.</summary>
    public void Write(ChecksummedWriter file, long start, long count)
    {
        for (long done = 0; done < count; done += Chunk)
            file.Write(new ReadOnlySpan<byte>(Data + start + done, (int)Math.Min(Chunk, count - done)));
    }

    /// <summary>Fills bytes [start, start + count) of the block from the file.</summary>
    public void Read(ChecksummedReader file, long start, long count)
    {
        for (long done = 0; done < count; done += Chunk)
            file.ReadInto(new Span<byte>(Data + start + done, (int)Math.Min(Chunk, count - done)));
    }

    public void Dispose()
    {
        NativeMemory.AlignedFree(Data);
        Data = null;
        Bytes = 0;
        GC.SuppressFinalize(this);
    }

    ~NativeBlock() => NativeMemory.AlignedFree(Data);

    /// <summary>Bytes per span when reading or writing, so that a span's length fits an int.</summary>
    private const long Chunk = 1 << 26;

    /// <summary>Asks Linux for transparent huge pages on the block (where the kernel gives them only on request); elsewhere nothing happens.</summary>
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
