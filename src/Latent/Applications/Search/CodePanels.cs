namespace Latent.Applications.Search;

/// <summary>
/// Codes in memory, laid out for scanning: rows are grouped in panels of <see cref="Width"/>, and a panel stores
/// its rows column by column (value j of rows 0..15, then value j + 1, ...), so that one SIMD register holds one
/// value of 16 rows and a scan needs no horizontal sums. Slots beyond <see cref="Count"/> hold NaN, which no
/// comparison selects. Removing a slot moves the last code into it.
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

    public void RemoveAt(int slot)
    {
        int last = Count - 1;
        if (slot != last)
        {
            Span<float> moved = Dimension <= 1024 ? stackalloc float[Dimension] : new float[Dimension];
            Read(last, moved);
            Write(slot, moved);
        }
        Clear(last);
        Count--;
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
