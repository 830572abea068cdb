using System.IO.MemoryMappedFiles;
using Latent.Storage;

namespace Latent.Applications.Search;

/// <summary>
/// Codes in memory, laid out for scanning: rows are grouped in panels of <see cref="Width"/>, and a panel stores
/// its rows column by column (value j of rows 0..15, then value j + 1, ...), so that one SIMD register holds one
/// value of 16 rows and a scan needs no horizontal sums. Slots beyond <see cref="Count"/> hold NaN, which no
/// comparison selects; so does a vacated slot, which keeps the slots after it where they are. The values live in a
/// <see cref="NativeBlock"/> (a million 32-value codes are 128 MB).
/// </summary>
internal sealed unsafe class CodePanels : IDisposable
{
    public const int Width = 16;

    private readonly NativeBlock _values = new();
    private float[] _inverseNorms = [];

    public CodePanels(int dimension)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        Dimension = dimension;
    }

    public int Dimension { get; }

    public int Count { get; private set; }

    public int Panels => (Count + Width - 1) / Width;

    /// <summary>The first of the values, [panel][value][lane]; read-only outside this class.</summary>
    public ref float Values => ref *(float*)_values.Data;

    /// <summary>1 / ‖code‖ per slot (0 for a zero code), for cosine scans.</summary>
    public float[] InverseNorms => _inverseNorms;

    /// <summary>Process memory held (none for values that are a view of a file).</summary>
    public long Bytes => _values.OwnBytes + (long)_inverseNorms.Length * sizeof(float);

    public void Add(ReadOnlySpan<float> code)
    {
        if (code.Length != Dimension) throw new ArgumentException($"Expected a code of {Dimension} values, got {code.Length}.");
        if (Count == _inverseNorms.Length) Grow();
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
        file.Write<float>(_inverseNorms.AsSpan(0, Panels * Width));
    }

    /// <summary>
    /// Codes of <paramref name="dimension"/> values as <see cref="Write(ChecksummedWriter)"/> wrote them. With
    /// <paramref name="map"/> (the same file, mapped), the values stay in the file and are paged in as searches touch them.
    /// </summary>
    public static CodePanels Read(ChecksummedReader file, int dimension, MemoryMappedFile? map = null)
    {
        int count = file.ReadInt32();
        if (count < 0) throw file.Damaged("its number of codes is negative");
        var codes = new CodePanels(dimension) { Count = count };
        try
        {
            file.Align(64);
            long bytes = codes.PanelBytes(codes.Panels);
            if (map is null)
            {
                codes._values.Grow(bytes, 0);
                codes._values.Read(file, 0, bytes);
            }
            else if (bytes > 0)
            {
                if (bytes > file.Remaining) throw file.Damaged("it is truncated or its sizes are wrong");
                codes._values.Map(map, file.Position, bytes);
                file.Skip(codes._values.Data, bytes);
            }
            codes._inverseNorms = file.ReadArray<float>((long)codes.Panels * Width);
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

    /// <summary>Copies values that are a view of a file into memory of their own (Windows refuses to replace a file while it is mapped).</summary>
    public void Own() => _values.Own();

    /// <summary>Frees the values' native memory.</summary>
    public void Dispose() => _values.Dispose();

    private void Write(int slot, ReadOnlySpan<float> code)
    {
        float* start = Start(slot);
        double sum = 0;
        for (int j = 0; j < Dimension; j++)
        {
            start[j * Width] = code[j];
            sum += (double)code[j] * code[j];
        }
        _inverseNorms[slot] = sum > 0 ? (float)(1 / Math.Sqrt(sum)) : 0f;
    }

    private void Clear(int slot)
    {
        float* start = Start(slot);
        for (int j = 0; j < Dimension; j++) start[j * Width] = float.NaN;
        _inverseNorms[slot] = float.NaN;
    }

    /// <summary>Value 0 of <paramref name="slot"/>; value j is <see cref="Width"/> × j floats on.</summary>
    private float* Start(int slot) => (float*)_values.Data + ((long)slot / Width * Dimension * Width + slot % Width);

    private long PanelBytes(int panels) => (long)panels * Dimension * Width * sizeof(float);

    private void Grow()
    {
        int held = _inverseNorms.Length / Width, panels = Math.Max(4, held * 2);
        _values.Grow(PanelBytes(panels), PanelBytes(held));
        for (int p = held; p < panels; p++) new Span<float>((byte*)_values.Data + PanelBytes(p), Dimension * Width).Fill(float.NaN);
        var norms = new float[panels * Width];
        Array.Fill(norms, float.NaN);
        _inverseNorms.CopyTo(norms, 0);
        _inverseNorms = norms;
    }
}
