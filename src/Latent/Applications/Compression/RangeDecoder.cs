namespace Latent.Applications.Compression;

/// <summary>
/// Reads what <see cref="RangeEncoder"/> wrote: <see cref="Peek"/> tells where in the total the next symbol lies, the
/// caller finds the symbol owning that point and <see cref="Consume"/>s its interval. Reading past the end sees zero
/// bytes, so damaged input decodes to wrong symbols (which the container's checksum catches), never to an exception.
/// </summary>
internal ref struct RangeDecoder
{
    private readonly ReadOnlySpan<byte> _input;
    private int _position;
    private uint _code, _range = uint.MaxValue;
    private uint _step;   // the width of one unit of the total, set by Peek

    /// <summary>Starts reading <paramref name="input"/>.</summary>
    public RangeDecoder(ReadOnlySpan<byte> input)
    {
        _input = input;
        for (int i = 0; i < 5; i++) _code = (_code << 8) | NextByte();
    }

    /// <summary>The point in [0, 2^<paramref name="totalBits"/>) that the next symbol's interval contains.</summary>
    public uint Peek(int totalBits)
    {
        _step = _range >> totalBits;
        return Math.Min(_code / _step, (1u << totalBits) - 1);
    }

    /// <summary>Takes the symbol owning [start, start + frequency) found from the last <see cref="Peek"/>.</summary>
    public void Consume(uint start, uint frequency)
    {
        _code -= _step * start;
        _range = _step * frequency;
        while (_range < RangeEncoder.Top)
        {
            _code = (_code << 8) | NextByte();
            _range <<= 8;
        }
    }

    /// <summary>Reads <paramref name="bits"/> raw bits written by <see cref="RangeEncoder.EncodeBits"/>.</summary>
    public uint DecodeBits(int bits)
    {
        uint value = Peek(bits);
        Consume(value, 1);
        return value;
    }

    private byte NextByte()
    {
        byte next = _position < _input.Length ? _input[_position] : (byte)0;
        _position++;
        return next;
    }
}
