using Latent.Storage;

namespace Latent.Applications.Search;

/// <summary>
/// Codes in memory, laid out for scanning: rows are grouped in panels of <see cref="Width"/>, and a panel stores
/// its rows column by column (value j of rows 0..15, then value j + 1, ...), so that one SIMD register holds one
/// value of 16 rows and a scan needs no horizontal sums. Slots beyond <see cref="Count"/> hold NaN, which no
/// comparison selects; so does a vacated slot, which keeps the slots after it where they are.
/// </summary>
internal sealed class CodePanels
{
    public const int Width = 16;

    private float[] _values = [];
    private float[] _inverseNorms = [];

    public CodePanels(int dimension)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        Dimension = dimension;
    }

    public int Dimension { get; }

    public int Count { get; private set; }

    public int Panels => (Count + Width - 1) / Width;

    /// <summary>[panel][value][lane]; read-only outside this class.</summary>
    public float[] Values => _values;

    /// <summary>1 / ‖code‖ per slot (0 for a zero code), for cosine scans.</summary>
    public float[] InverseNorms => _inverseNorms;

    public long Bytes => (long)(_values.Length + _inverseNorms.Length) * sizeof(float);

    public void Add(ReadOnlySpan<float> code)
    {
        if (code.Length != Dimension) throw new ArgumentException($"Expected a code of {Dimension} values, got {code.Length}.");
        if (Count == _inverseNorms.Length) Grow();
        Write(Count++, code);
    }

    /// <summary>Empties <paramref name="slot"/> (it holds NaN from now on, which no scan selects); the other slots keep their numbers.</summary>
    public void Vacate(int slot) => Clear(slot);

    /// <summary>Writes the codes for <see cref="Read(ChecksummedReader, int)"/>.</summary>
    public void Write(ChecksummedWriter file)
    {
        file.Write(Count);
        file.Write<float>(_values.AsSpan(0, Panels * Dimension * Width));
        file.Write<float>(_inverseNorms.AsSpan(0, Panels * Width));
    }

    /// <summary>Codes of <paramref name="dimension"/> values as <see cref="Write(ChecksummedWriter)"/> wrote them.</summary>
    public static CodePanels Read(ChecksummedReader file, int dimension)
    {
        int count = file.ReadInt32();
        if (count < 0) throw file.Damaged("its number of codes is negative");
        var codes = new CodePanels(dimension) { Count = count };
        codes._values = file.ReadArray<float>((long)codes.Panels * dimension * Width);
        codes._inverseNorms = file.ReadArray<float>((long)codes.Panels * Width);
        return codes;
    }

    public void Read(int slot, Span<float> code)
    {
        int start = slot / Width * Dimension * Width + slot % Width;
        for (int j = 0; j < Dimension; j++) code[j] = _values[start + j * Width];
    }

    private void Write(int slot, ReadOnlySpan<float> code)
    {
        int start = slot / Width * Dimension * Width + slot % Width;
        double sum = 0;
        for (int j = 0; j < Dimension; j++)
        {
            _values[start + j * Width] = code[j];
            sum += (double)code[j] * code[j];
        }
        _inverseNorms[slot] = sum > 0 ? (float)(1 / Math.Sqrt(sum)) : 0f;
    }

    private void Clear(int slot)
    {
        int start = slot / Width * Dimension * Width + slot % Width;
        for (int j = 0; j < Dimension; j++) _values[start + j * Width] = float.NaN;
        _inverseNorms[slot] = float.NaN;
    }

    private void Grow()
    {
        int panels = Math.Max(4, _inverseNorms.Length / Width * 2);
        var values = new float[(long)panels * Dimension * Width];
        var norms = new float[panels * Width];
        Array.Fill(values, float.NaN);
        Array.Fill(norms, float.NaN);
        _values.CopyTo(values, 0);
        _inverseNorms.CopyTo(norms, 0);
        _values = values;
        _inverseNorms = norms;
    }
}
