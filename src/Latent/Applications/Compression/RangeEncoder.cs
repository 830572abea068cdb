namespace Latent.Applications.Compression;

/// <summary>
/// A range coder's encoding half (Subbotin/Schindler style, as LZMA writes it): a 64-bit low end and a 32-bit width,
/// narrowed to each symbol's share of a total of 2^bits, renormalised a byte at a time, with a carry propagated through a
/// pending run of 0xFF bytes. Integer arithmetic only, so every machine writes the same bytes for the same symbols;
/// <see cref="RangeDecoder"/> reads them back in the same order (first in, first out).
/// </summary>
/// <example>
/// <code>
/// var encoder = new RangeEncoder();
/// encoder.Encode(start: 100, frequency: 900, totalBits: 16);   // a symbol of probability 900 / 65536
/// byte[] bytes = encoder.Finish();
/// </code>
/// </example>
internal sealed class RangeEncoder
{
    internal const uint Top = 1u << 24;   // the width is renormalised to at least this, so 16-bit totals keep 8 bits of precision

    private readonly List<byte> _output = [];
    private ulong _low;
    private uint _range = uint.MaxValue;
    private byte _cache;
    private long _pending = 1;   // bytes waiting for a possible carry: the cache and then _pending − 1 bytes of 0xFF

    /// <summary>Codes a symbol that owns [start, start + frequency) of a total of 2^<paramref name="totalBits"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An empty or out-of-range interval, or more than 16 bits of total.</exception>
    public void Encode(uint start, uint frequency, int totalBits)
    {
        if (totalBits is < 1 or > 16 || frequency == 0 || start + frequency > 1u << totalBits)
            throw new ArgumentOutOfRangeException(nameof(frequency), $"The interval [{start}, {start + frequency}) does not fit a total of 2^{totalBits}.");
        uint r = _range >> totalBits;
        _low += (ulong)r * start;
        _range = r * frequency;
        while (_range < Top)
        {
            _range <<= 8;
            ShiftLow();
        }
    }

    /// <summary>Codes <paramref name="bits"/> (1 to 16) raw bits of <paramref name="value"/>, each as likely as not.</summary>
    public void EncodeBits(uint value, int bits) => Encode(value & ((1u << bits) - 1), 1, bits);

    /// <summary>Flushes the coder and returns everything written.</summary>
    public byte[] Finish()
    {
        for (int i = 0; i < 5; i++) ShiftLow();
        return [.. _output];
    }

    /// <summary>Moves the top byte of the low end out, holding back bytes that a later carry could still change.</summary>
    private void ShiftLow()
    {
        if ((uint)_low < 0xFF000000u || _low > uint.MaxValue)
        {
            byte carry = (byte)(_low >> 32);
            byte next = _cache;
            do
            {
                _output.Add((byte)(next + carry));
                next = 0xFF;
            }
            while (--_pending != 0);
            _cache = (byte)(_low >> 24);
        }
        _pending++;
        _low = (_low & 0x00FFFFFFul) << 8;
    }
}
