namespace Latent.Imaging;

/// <summary>
/// Chooses and applies a PNG filter for each scanline. Every one of the five filters is tried and the one
/// whose output has the smallest sum of absolute values (bytes read as signed) wins: small residuals near zero
/// are what deflate compresses best, and this is the heuristic the PNG specification recommends (section 12.8).
/// </summary>
internal sealed class PngRowFilter
{
    public const byte None = 0, Sub = 1, Up = 2, Average = 3, Paeth = 4;

    private readonly int _bytesPerPixel;
    private readonly byte[][] _candidates;   // one buffer per filter: the filter type byte, then the filtered row

    /// <param name="rowBytes">Bytes in one unfiltered scanline.</param>
    /// <param name="bytesPerPixel">Distance to the byte of the same channel in the pixel to the left.</param>
    public PngRowFilter(int rowBytes, int bytesPerPixel)
    {
        _bytesPerPixel = bytesPerPixel;
        _candidates = new byte[5][];
        for (int f = 0; f < 5; f++)
        {
            _candidates[f] = new byte[rowBytes + 1];
            _candidates[f][0] = (byte)f;
        }
    }

    /// <summary>
    /// Filters <paramref name="row"/> against <paramref name="prior"/> (all zeros for the first row) and returns the
    /// best candidate: its filter type byte followed by the filtered bytes. The span is valid until the next call.
    /// </summary>
    public ReadOnlySpan<byte> Filter(ReadOnlySpan<byte> row, ReadOnlySpan<byte> prior)
    {
        int best = 0;
        long bestCost = long.MaxValue;
        for (int f = 0; f < 5; f++)
        {
            long cost = Apply((byte)f, row, prior, _bytesPerPixel, _candidates[f].AsSpan(1));
            if (cost < bestCost) (best, bestCost) = (f, cost);   // ties keep the simpler filter
        }
        return _candidates[best];
    }

    /// <summary>Writes the filtered row into <paramref name="output"/> and returns its cost (sum of |signed byte|).</summary>
    public static long Apply(byte filter, ReadOnlySpan<byte> row, ReadOnlySpan<byte> prior, int bpp, Span<byte> output)
    {
        long cost = 0;
        for (int i = 0; i < row.Length; i++)
        {
            int left = i >= bpp ? row[i - bpp] : 0;
            int up = prior[i];
            int upLeft = i >= bpp ? prior[i - bpp] : 0;
            int predicted = filter switch
            {
                None => 0,
                Sub => left,
                Up => up,
                Average => (left + up) >> 1,
                _ => PaethPredictor(left, up, upLeft),
            };
            byte value = (byte)(row[i] - predicted);
            output[i] = value;
            cost += Math.Abs((int)(sbyte)value);
        }
        return cost;
    }

    /// <summary>Whichever of left, up and upper-left is closest to left + up − upper-left (ties in that order).</summary>
    public static int PaethPredictor(int left, int up, int upLeft)
    {
        int estimate = left + up - upLeft;
        int toLeft = Math.Abs(estimate - left), toUp = Math.Abs(estimate - up), toUpLeft = Math.Abs(estimate - upLeft);
        if (toLeft <= toUp && toLeft <= toUpLeft) return left;
        return toUp <= toUpLeft ? up : upLeft;
    }
}
