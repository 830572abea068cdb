using System.IO.MemoryMappedFiles;
using System.Runtime.InteropServices;
using Latent.Storage;

namespace Latent.Applications.Search;

/// <summary>
/// One large array of a search index (codes, graph records) in native memory: 64-byte aligned and, from 2 MB up,
/// asked to be backed by 2 MB pages. A search jumps between places hundreds of megabytes apart, and with 4 KB pages
/// nearly every jump also misses the address-translation cache; filling a fresh array page by page costs a fault per
/// 4 KB, which on a virtual machine made reading a 128 MB array take most of a second.
/// A block may instead be a copy-on-write view of part of a file (<see cref="Map"/>): the operating system reads
/// pages when they are first touched and may drop them again under memory pressure, so a collection need not fit in
/// memory; writes stay private to the process. Growing a mapped block copies it into memory of its own.
/// </summary>
internal sealed unsafe class NativeBlock : IDisposable
{
    private const nuint HugePage = 2 << 20;
    private MemoryMappedViewAccessor? _view;   // set while the block is a view of a file

    public byte* Data { get; private set; }

    public long Bytes { get; private set; }

    /// <summary>Process memory the block holds: none while it is a view of a file (the pages are the file's, in the page cache).</summary>
    public long OwnBytes => _view is null ? Bytes : 0;

    /// <summary>Grows the block to <paramref name="bytes"/>, keeping its first <paramref name="keep"/> bytes (the block moves: earlier pointers become invalid; the rest is undefined).</summary>
    public void Grow(long bytes, long keep)
    {
        if (bytes > Bytes) MoveTo(bytes, Math.Min(keep, Bytes));
    }

    /// <summary>Copies a block that is a view of a file into memory of its own (nothing happens to one that is not).</summary>
    public void Own()
    {
        if (_view is not null) MoveTo(Bytes, Bytes);
    }

    /// <summary>Moves the block to fresh memory of its own of <paramref name="bytes"/>, copying its first <paramref name="keep"/> bytes.</summary>
    private void MoveTo(long bytes, long keep)
    {
        var data = (byte*)NativeMemory.AlignedAlloc((nuint)bytes, (nuint)bytes >= HugePage ? HugePage : 64);
        if ((nuint)bytes >= HugePage) AdviseHugePages(data, (nuint)bytes);
        if (Data != null) Buffer.MemoryCopy(Data, data, bytes, keep);
        Release();
        Data = data;
        Bytes = bytes;
    }

    /// <summary>Makes the block a copy-on-write view of <paramref name="bytes"/> bytes of <paramref name="file"/> from <paramref name="offset"/> on, replacing what it held.</summary>
    public void Map(MemoryMappedFile file, long offset, long bytes)
    {
        Release();
        _view = file.CreateViewAccessor(offset, bytes, MemoryMappedFileAccess.CopyOnWrite);
        byte* start = null;
        _view.SafeMemoryMappedViewHandle.AcquirePointer(ref start);
        Data = start + _view.PointerOffset;
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
        Release();
        Bytes = 0;
        GC.SuppressFinalize(this);
    }

    // A view's accessor has a finalizer of its own.
    ~NativeBlock()
    {
        if (_view is null) NativeMemory.AlignedFree(Data);
    }

    private void Release()
    {
        if (_view is null) NativeMemory.AlignedFree(Data);
        else
        {
            _view.SafeMemoryMappedViewHandle.ReleasePointer();
            _view.Dispose();
            _view = null;
        }
        Data = null;
    }

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
