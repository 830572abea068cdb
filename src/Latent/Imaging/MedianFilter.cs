namespace Latent.Imaging;

/// <summary>
/// The 3×3 median filter, the classic baseline for removing noise from images: each value becomes the median of its
/// 3×3 neighbourhood in the same channel, the border mirrored (…, b, a | a, b, … as SciPy's "reflect").
/// </summary>
/// <example>
/// <code>
/// float[] smoothed = MedianFilter.Apply3x3(noisy, ImageShape.Gray(28, 28));
/// </code>
/// </example>
public static class MedianFilter
{
    /// <summary>A filtered copy of one channel-first image.</summary>
    /// <exception cref="ArgumentException">The image length does not match the shape.</exception>
    public static float[] Apply3x3(ReadOnlySpan<float> image, ImageShape shape)
    {
        if (image.Length != shape.Size || shape.Size == 0)
            throw new ArgumentException($"An image of shape {shape.Channels}×{shape.Height}×{shape.Width} has {shape.Size} values, not {image.Length}.", nameof(image));
        int h = shape.Height, w = shape.Width;
        var result = new float[image.Length];
        Span<float> window = stackalloc float[9];
        for (int c = 0; c < shape.Channels; c++)
        {
            ReadOnlySpan<float> plane = image.Slice(c * h * w, h * w);
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                {
                    int n = 0;
                    for (int dy = -1; dy <= 1; dy++)
                        for (int dx = -1; dx <= 1; dx++) window[n++] = plane[Mirror(y + dy, h) * w + Mirror(x + dx, w)];
                    window.Sort();
                    result[c * h * w + y * w + x] = window[4];
                }
        }
        return result;
    }

    /// <summary>Mirrors an index one step outside [0, size) back inside, repeating the edge value.</summary>
    private static int Mirror(int i, int size) => i < 0 ? Math.Min(-i - 1, size - 1) : i >= size ? Math.Max(2 * size - i - 1, 0) : i;
}
