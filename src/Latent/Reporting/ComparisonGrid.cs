using Latent.Imaging;

namespace Latent.Reporting;

/// <summary>
/// Examples side by side for a report: each row shows an input, the model's prediction and the truth (RGB images of one
/// shape), two examples per row, upscaled so that small images stay visible.
/// </summary>
public static class ComparisonGrid
{
    /// <summary>The grid of (input, prediction, truth) triples, each three planes of <paramref name="shape"/> in [0, 1].</summary>
    /// <exception cref="ArgumentException">No examples, or an image that is not of the RGB shape.</exception>
    public static Raster Compose(IReadOnlyList<(float[] Input, float[] Prediction, float[] Truth)> examples, ImageShape shape)
    {
        if (examples.Count == 0) throw new ArgumentException("A comparison needs at least one example.");
        if (shape.Channels != 3) throw new ArgumentException($"Comparisons are drawn in RGB; got {shape.Channels} channels.");
        var all = new float[examples.Count * 3 * shape.Size];
        for (int i = 0; i < examples.Count; i++)
        {
            var (input, prediction, truth) = examples[i];
            foreach (var (image, k) in new[] { (input, 0), (prediction, 1), (truth, 2) })
            {
                if (image.Length != shape.Size) throw new ArgumentException($"Example {i} has an image of {image.Length} values; the shape needs {shape.Size}.");
                image.CopyTo(all, (3 * i + k) * shape.Size);
            }
        }
        return ImageGrid.Compose(all, shape, new GridLayout { Columns = examples.Count == 1 ? 3 : 6, Scale = Math.Max(1, 96 / Math.Max(shape.Height, shape.Width)) });
    }

    /// <summary>A gray image as three equal planes (to sit beside colour ones).</summary>
    public static float[] GrayToRgb(ReadOnlySpan<float> gray) => [.. gray, .. gray, .. gray];
}
