namespace Latent.Applications.Search;

/// <summary>
/// A copy of <see cref="CodePanels"/> with every value in one byte, for <see cref="QuantizedScan"/>: value j of a code
/// is held as c in 0..255, standing for <c>Lows[j] + Steps[j] · c</c>, where each value's range is the one it spans
/// over the collection. A quarter of the floats' bytes, and the scan multiplies bytes four at a time. The layout
/// serves an integer dot product of four values per 32-bit lane: rows in panels of <see cref="CodePanels.Width"/>, and
/// a panel holds its values in groups of <see cref="GroupValues"/>: group g of rows 0..15 (four bytes each), then group
/// g + 1, ... Values past the dimension (to fill the last group) are 0. An empty slot's norm is NaN, which no scan keeps.
/// </summary>
internal sealed class QuantizedCodes
{
    public const int GroupValues = 4;
    public const int PanelGroupBytes = CodePanels.Width * GroupValues;

    private QuantizedCodes(int dimension, int count)
    {
        Dimension = dimension;
        Groups = (dimension + GroupValues - 1) / GroupValues;
        Count = count;
        Panels = (count + CodePanels.Width - 1) / CodePanels.Width;
        Lows = new float[dimension];
        Steps = new float[dimension];
        Values = new byte[(long)Panels * Groups * PanelGroupBytes];
        ScaledSquaredNorms = new float[Panels * CodePanels.Width];
    }

    public int Dimension { get; }

    /// <summary>Groups of <see cref="GroupValues"/> values per code, the last one padded with zeros.</summary>
    public int Groups { get; }

    public int Count { get; }

    public int Panels { get; }

    /// <summary>Per value, what byte 0 stands for.</summary>
    public float[] Lows { get; }

    /// <summary>Per value, what one step of the byte is worth.</summary>
    public float[] Steps { get; }

    /// <summary>[panel][group][row][value in group], one byte each.</summary>
    public byte[] Values { get; }

    /// <summary>Per slot, Σ (Steps[j] · c_j)²: the part of a squared distance that depends on the code alone; NaN for an empty slot.</summary>
    public float[] ScaledSquaredNorms { get; }

    public long Bytes => Values.Length + (long)(ScaledSquaredNorms.Length + Lows.Length + Steps.Length) * sizeof(float);

    /// <summary>The codes of <paramref name="codes"/>, each value rounded to the nearest of 256 steps spanning that value's range over the codes held.</summary>
    public static QuantizedCodes From(CodePanels codes)
    {
        int dim = codes.Dimension;
        var quantized = new QuantizedCodes(dim, codes.Count);
        float[] low = quantized.Lows, step = quantized.Steps;
        var high = new float[dim];
        Array.Fill(low, float.PositiveInfinity);
        Array.Fill(high, float.NegativeInfinity);
        var code = new float[dim];
        for (int slot = 0; slot < codes.Count; slot++)
        {
            codes.Read(slot, code);
            if (float.IsNaN(code[0])) continue;   // an empty slot
            for (int j = 0; j < dim; j++)
            {
                low[j] = Math.Min(low[j], code[j]);
                high[j] = Math.Max(high[j], code[j]);
            }
        }
        for (int j = 0; j < dim; j++)
        {
            if (low[j] > high[j]) (low[j], high[j]) = (0f, 0f);   // no codes held
            step[j] = high[j] > low[j] ? (high[j] - low[j]) / 255f : 1f;
        }
        Array.Fill(quantized.ScaledSquaredNorms, float.NaN);
        for (int slot = 0; slot < codes.Count; slot++)
        {
            codes.Read(slot, code);
            if (!float.IsNaN(code[0])) quantized.Write(slot, code);
        }
        return quantized;
    }

    private void Write(int slot, ReadOnlySpan<float> code)
    {
        long panel = (long)(slot / CodePanels.Width) * Groups * PanelGroupBytes;
        int row = slot % CodePanels.Width;
        double norm = 0;
        for (int j = 0; j < Dimension; j++)
        {
            byte c = (byte)Math.Clamp(MathF.Round((code[j] - Lows[j]) / Steps[j]), 0f, 255f);
            Values[panel + (j / GroupValues) * PanelGroupBytes + row * GroupValues + j % GroupValues] = c;
            double scaled = (double)Steps[j] * c;
            norm += scaled * scaled;
        }
        ScaledSquaredNorms[slot] = (float)norm;
    }
}
