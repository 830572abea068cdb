namespace Latent.Applications.Compression;

/// <summary>
/// An integer model of one integer-valued source for the range coder: the frequencies (out of 2^16) of the values
/// <see cref="Offset"/> … <see cref="Offset"/> + n − 2, then an escape symbol for any value outside them, which is
/// followed by its distance from the range in raw bits (sign, then Elias gamma). Encoder and decoder use the same integer
/// table, so they agree bit for bit whatever floating point produced it.
/// </summary>
internal sealed class SymbolTable
{
    /// <summary>Bits of the frequencies' total.</summary>
    public const int Precision = 16;
    private const uint Total = 1u << Precision;

    private readonly uint[] _cdf;   // n + 1 cumulative frequencies: _cdf[0] = 0, _cdf[n] = 2^16

    /// <summary>A table from cumulative frequencies (checked: start at 0, end at 2^16, strictly increasing).</summary>
    /// <exception cref="ArgumentException">Cumulative frequencies that are not a valid table.</exception>
    public SymbolTable(int offset, uint[] cdf)
    {
        if (cdf.Length < 2 || cdf[0] != 0 || cdf[^1] != Total) throw new ArgumentException("A symbol table's cumulative frequencies must run from 0 to 65536.");
        for (int i = 1; i < cdf.Length; i++)
            if (cdf[i] <= cdf[i - 1]) throw new ArgumentException("Every symbol needs a positive frequency.");
        Offset = offset;
        _cdf = cdf;
    }

    /// <summary>The value of the first symbol.</summary>
    public int Offset { get; }

    /// <summary>Symbols including the escape.</summary>
    public int Count => _cdf.Length - 1;

    /// <summary>The cumulative frequencies (n + 1 values from 0 to 2^16).</summary>
    public ReadOnlySpan<uint> Cdf => _cdf;

    /// <summary>
    /// The table for probabilities of the values <paramref name="offset"/>, <paramref name="offset"/> + 1, …: each gets
    /// its rounded share of 2^16 but at least 1, and so does the escape (whose probability is what the values leave);
    /// the rounding error is taken from or given to the most likely symbols.
    /// </summary>
    /// <exception cref="ArgumentException">No values, or more than the precision can give a frequency to.</exception>
    public static SymbolTable FromProbabilities(int offset, ReadOnlySpan<double> probabilities)
    {
        int n = probabilities.Length + 1;
        if (probabilities.Length == 0 || n > Total / 4) throw new ArgumentException($"A symbol table holds 1 to {Total / 4 - 1} values, not {probabilities.Length}.");
        var frequencies = new long[n];
        double sum = 0;
        for (int i = 0; i < probabilities.Length; i++)
        {
            double p = double.IsFinite(probabilities[i]) ? Math.Max(0, probabilities[i]) : 0;
            sum += p;
            frequencies[i] = Math.Max(1, (long)Math.Round(p * Total));
        }
        frequencies[^1] = Math.Max(1, (long)Math.Round(Math.Max(0, 1 - sum) * Total));
        long excess = frequencies.Sum() - Total;
        while (excess != 0)
        {
            int largest = 0;
            for (int i = 1; i < n; i++)
                if (frequencies[i] > frequencies[largest]) largest = i;
            long change = excess > 0 ? Math.Min(excess, frequencies[largest] - 1) : excess;
            frequencies[largest] -= change;
            excess -= change;
        }
        var cdf = new uint[n + 1];
        for (int i = 0; i < n; i++) cdf[i + 1] = cdf[i] + (uint)frequencies[i];
        return new SymbolTable(offset, cdf);
    }

    /// <summary>Codes <paramref name="value"/>: its symbol, or the escape and the distance for a value outside the table.</summary>
    public void Encode(RangeEncoder encoder, int value)
    {
        int symbol = value - Offset, escape = Count - 1;
        if (symbol >= 0 && symbol < escape)
        {
            encoder.Encode(_cdf[symbol], _cdf[symbol + 1] - _cdf[symbol], Precision);
            return;
        }
        encoder.Encode(_cdf[escape], Total - _cdf[escape], Precision);
        bool below = symbol < 0;
        encoder.EncodeBits(below ? 1u : 0u, 1);
        // Elias gamma of distance + 1 ≥ 1: its bit length in 5 bits, then the bits below the leading one.
        uint distance = (uint)(below ? -symbol : symbol - escape + 1);
        int length = 32 - System.Numerics.BitOperations.LeadingZeroCount(distance);
        encoder.EncodeBits((uint)length - 1, 5);
        for (int shift = length - 1; shift > 0; shift -= Math.Min(16, shift))
        {
            int bits = Math.Min(16, shift);
            encoder.EncodeBits(distance >> (shift - bits), bits);
        }
    }

    /// <summary>Reads a value written by <see cref="Encode"/>.</summary>
    public int Decode(ref RangeDecoder decoder)
    {
        uint point = decoder.Peek(Precision);
        int low = 0, high = Count - 1;   // the symbol s with _cdf[s] ≤ point < _cdf[s + 1]
        while (low < high)
        {
            int middle = (low + high + 1) >> 1;
            if (_cdf[middle] <= point) low = middle;
            else high = middle - 1;
        }
        decoder.Consume(_cdf[low], _cdf[low + 1] - _cdf[low]);
        int escape = Count - 1;
        if (low < escape) return Offset + low;
        bool below = decoder.DecodeBits(1) == 1;
        int length = (int)decoder.DecodeBits(5) + 1;
        uint distance = 1;
        for (int shift = length - 1; shift > 0; shift -= Math.Min(16, shift))
        {
            int bits = Math.Min(16, shift);
            distance = (distance << bits) | decoder.DecodeBits(bits);
        }
        long value = below ? (long)Offset - distance : (long)Offset + escape - 1 + distance;
        return (int)Math.Clamp(value, int.MinValue, int.MaxValue);
    }
}
