namespace Latent.Imaging;

/// <summary>How <see cref="ImageResize"/> computes new pixels.</summary>
public enum ResizeFilter
{
    /// <summary>Each output pixel copies the input pixel its centre falls in.</summary>
    Nearest,

    /// <summary>
    /// A triangle (tent) filter, widened by the reduction factor when shrinking so that every input pixel counts
    /// (antialiased), as Pillow's BILINEAR resize does.
    /// </summary>
    Bilinear,
}

/// <summary>
/// Resizes channel-first float images (see <see cref="ImageShape"/>) separably: rows, then columns, each output value a
/// normalised weighted sum of input values around its centre, (o + ½)·in/out in input coordinates.
/// </summary>
/// <example>
/// <code>
/// float[] small = ImageResize.Resize(photo, ImageShape.Rgb(480, 640), 32, 32);   // 3 × 32 × 32
/// </code>
/// </example>
public static class ImageResize
{
    /// <summary>A new image of <paramref name="height"/> × <paramref name="width"/> with the same channels.</summary>
    /// <exception cref="ArgumentException">A size is not positive or the image length does not match its shape.</exception>
    public static float[] Resize(ReadOnlySpan<float> image, ImageShape shape, int height, int width, ResizeFilter filter = ResizeFilter.Bilinear)
    {
        if (shape.Channels <= 0 || shape.Height <= 0 || shape.Width <= 0 || height <= 0 || width <= 0)
            throw new ArgumentException($"Resize needs positive sizes; got {shape.Channels}×{shape.Height}×{shape.Width} to {height}×{width}.");
        if (image.Length != shape.Size)
            throw new ArgumentException($"An image of shape {shape.Channels}×{shape.Height}×{shape.Width} has {shape.Size} values, not {image.Length}.", nameof(image));
        if (!Enum.IsDefined(filter)) throw new ArgumentOutOfRangeException(nameof(filter), filter, "Unknown resize filter.");
        var (rowStart, rowWeights, rowTaps) = Weights(shape.Height, height, filter);
        var (colStart, colWeights, colTaps) = Weights(shape.Width, width, filter);
        var result = new float[(long)shape.Channels * height * width];
        var columns = new float[shape.Height * width];   // one channel resized along x only
        for (int c = 0; c < shape.Channels; c++)
        {
            ReadOnlySpan<float> plane = image.Slice(c * shape.Height * shape.Width, shape.Height * shape.Width);
            for (int y = 0; y < shape.Height; y++)
                for (int x = 0; x < width; x++)
                {
                    double sum = 0;
                    for (int t = 0; t < colTaps; t++) sum += colWeights[x * colTaps + t] * plane[y * shape.Width + colStart[x] + t];
                    columns[y * width + x] = (float)sum;
                }
            Span<float> target = result.AsSpan(c * height * width, height * width);
            for (int y = 0; y < height; y++)
                for (int x = 0; x < width; x++)
                {
                    double sum = 0;
                    for (int t = 0; t < rowTaps; t++) sum += rowWeights[y * rowTaps + t] * columns[(rowStart[y] + t) * width + x];
                    target[y * width + x] = (float)sum;
                }
        }
        return result;
    }

    /// <summary>
    /// For each output coordinate: the first input coordinate it reads and <c>taps</c> weights (zero-padded), summing to 1.
    /// </summary>
    private static (int[] Start, double[] Weights, int Taps) Weights(int size, int outputs, ResizeFilter filter)
    {
        double scale = (double)size / outputs;
        if (filter == ResizeFilter.Nearest)
        {
            var start = new int[outputs];
            for (int o = 0; o < outputs; o++) start[o] = Math.Min((int)((o + 0.5) * scale), size - 1);
            return (start, Enumerable.Repeat(1.0, outputs).ToArray(), 1);
        }
        double stretch = Math.Max(scale, 1), support = stretch;   // the tent's half-width in input pixels
        int taps = Math.Min(size, (int)Math.Ceiling(support) * 2 + 1);
        var starts = new int[outputs];
        var weights = new double[outputs * taps];
        for (int o = 0; o < outputs; o++)
        {
            double centre = (o + 0.5) * scale;
            int first = Math.Clamp((int)Math.Floor(centre - support), 0, size - taps);   // the window stays inside the image
            starts[o] = first;
            double total = 0;
            for (int t = 0; t < taps; t++)
            {
                double w = Math.Max(0, 1 - Math.Abs((first + t + 0.5 - centre) / stretch));
                weights[o * taps + t] = w;
                total += w;
            }
            for (int t = 0; t < taps; t++) weights[o * taps + t] /= total;
        }
        return (starts, weights, taps);
    }
}
