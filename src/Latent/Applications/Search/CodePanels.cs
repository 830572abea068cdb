using System.IO.MemoryMappedFiles;
using Latent.Storage;

namespace Latent.Applications.Search;

/// <summary>
/// Codes in memory, laid out for scanning: rows are grouped in panels of <see cref="Width"/>, and a panel stores
/// its rows column by column (value j of rows 0..15, then value j + 1, ...), so that one SIMD register holds one
/// value of 16 rows and a scan needs no horizontal sums. Slots beyond <see cref="Count"/> hold NaN, which no
/// comparison selects; so does a vacated slot, which keeps the slots after it where they are. The values and norms live
/// in <see cref="NativeBlock"/>s (a million 32-value codes are 128 MB), which may be views of a file.
/// </summary>
internal sealed unsafe class CodePanels : IDisposable
{
    public const int Width = 16;

    private readonly NativeBlock _values = new(), _inverseNorms = new();
    private int _capacity;   // slots the blocks hold

    public CodePanels(int dimension)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        Dimension = dimension;
    }

    /// <summary>Panels holding every row of <paramref name="rows"/> [count, dimension] row-major, in order.</summary>
    public static CodePanels From(ReadOnlySpan<float> rows, int dimension)
    {
        var panels = new CodePanels(dimension);
        for (int r = 0; r < rows.Length / dimension; r++) panels.Add(rows.Slice(r * dimension, dimension));
        return panels;
    }

    public int Dimension { get; }

    public int Count { get; private set; }

    public int Panels => (Count + Width - 1) / Width;

    /// <summary>The first of the values, [panel][value][lane]; read-only outside this class.</summary>
    public ref float Values => ref *(float*)_values.Data;

    /// <summary>1 / ‖code‖ per slot (0 for a zero code), for cosine scans.</summary>
    public ReadOnlySpan<float> InverseNorms => new(_inverseNorms.Data, _capacity);

    /// <summary>Process memory held (none for blocks that are views of a file).</summary>
    public long Bytes => _values.OwnBytes + _inverseNorms.OwnBytes;

    public void Add(ReadOnlySpan<float> code)
    {
        if (code.Length != Dimension) throw new ArgumentException($"Expected a code of {Dimension} values, got {code.Length}.");
        if (Count == _capacity) Grow();
        Write(Count++, code);
    }

    /// <summary>Empties <paramref name="slot"/> (it holds NaN from now on, which no scan selects); the other slots keep their numbers.</summary>
    public void Vacate(int slot) => Clear(slot);

    /// <summary>Writes the codes for <see cref="Read(ChecksummedReader, int, MemoryMappedFile?)"/>.</summary>
    public void Write(ChecksummedWriter file)
    {
        file.Write(Count);
        file.Align(64);
        _values.Write(file, 0, PanelBytes(Panels));
        _inverseNorms.Write(file, 0, (long)Panels * Width * sizeof(float));
    }

    /// <summary>
    /// Codes of <paramref name="dimension"/> values as <see cref="Write(ChecksummedWriter)"/> wrote them. With
    /// <paramref name="map"/> (the same file, mapped), the values and norms stay in the file and are paged in as searches touch them.
    /// </summary>
    public static CodePanels Read(ChecksummedReader file, int dimension, MemoryMappedFile? map = null)
    {
        int count = file.ReadInt32();
        if (count < 0) throw file.Damaged("its number of codes is negative");
        var codes = new CodePanels(dimension) { Count = count };
        codes._capacity = codes.Panels * Width;
        try
        {
            file.Align(64);
            Fill(file, codes._values, codes.PanelBytes(codes.Panels), map);
            Fill(file, codes._inverseNorms, (long)codes._capacity * sizeof(float), map);
            return codes;
        }
        catch
        {
            codes.Dispose();
            throw;
        }
    }

    public void Read(int slot, Span<float> code)
    {
        float* start = Start(slot);
        for (int j = 0; j < Dimension; j++) code[j] = start[j * Width];
    }

    /// <summary>Copies blocks that are views of a file into memory of their own (Windows refuses to replace a file while it is mapped).</summary>
    public void Own()
    {
        _values.Own();
        _inverseNorms.Own();
    }

    /// <summary>Frees the native memory.</summary>
    public void Dispose()
    {
        _values.Dispose();
        _inverseNorms.Dispose();
    }

    /// <summary>The next <paramref name="bytes"/> bytes of the file into <paramref name="block"/>: read, or with <paramref name="map"/> a view of them.</summary>
    private static void Fill(ChecksummedReader file, NativeBlock block, long bytes, MemoryMappedFile? map)
    {
        if (bytes > file.Remaining) throw file.Damaged("it is truncated or its sizes are wrong");
        if (map is null || bytes == 0)
        {
            block.Grow(bytes, 0);
            block.Read(file, 0, bytes);
            return;
        }
        block.Map(map, file.Position, bytes);
        file.Skip(block.Data, bytes);
    }

    private float* Norms => (float*)_inverseNorms.Data;

    private void Write(int slot, ReadOnlySpan<float> code)
    {
        float* start = Start(slot);
        double sum = 0;
        for (int j = 0; j < Dimension; j++)
        {
            start[j * Width] = code[j];
            sum += (double)code[j] * code[j];
        }
        Norms[slot] = sum > 0 ? (float)(1 / Math.Sqrt(sum)) : 0f;
    }

    private void Clear(int slot)
    {
        float* start = Start(slot);
        for (int j = 0; j < Dimension; j++) start[j * Width] = float.NaN;
        Norms[slot] = float.NaN;
    }

    /// <summary>Value 0 of <paramref name="slot"/>; value j is <see cref="Width"/> × j floats on.</summary>
    private float* Start(int slot) => (float*)_values.Data + ((long)slot / Width * Dimension * Width + slot % Width);

    private long PanelBytes(int panels) => (long)panels * Dimension * Width * sizeof(float);

    private void Grow()
    {
        int held = _capacity / Width, panels = Math.Max(4, held * 2);
        _values.Grow(PanelBytes(panels), PanelBytes(held));
        _inverseNorms.Grow((long)panels * Width * sizeof(float), (long)_capacity * sizeof(float));
        for (int p = held; p < panels; p++)
        {
            new Span<float>((byte*)_values.Data + PanelBytes(p), Dimension * Width).Fill(float.NaN);
            new Span<float>(Norms + p * Width, Width).Fill(float.NaN);
        }
        _capacity = panels * Width;
    }
}
