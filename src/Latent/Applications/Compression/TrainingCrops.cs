using Latent.Engine;
using Latent.Imaging;

namespace Latent.Applications.Compression;

/// <summary>The training rows of a codec: random square crops of the images, 3 × size × size values in [0, 1] each.</summary>
internal static class TrainingCrops
{
    /// <summary>
    /// An image no larger than a crop gives one (padded by its edges); a larger one gives <paramref name="coverage"/> times
    /// as many random crops as would tile it, at positions drawn from <paramref name="rng"/>.
    /// </summary>
    public static Tensor Sample(IReadOnlyList<Raster> images, int size, float coverage, Rng rng)
    {
        var windows = new List<(Raster Image, int Top, int Left)>();
        foreach (Raster image in images)
        {
            if (image.Height <= size && image.Width <= size)
            {
                windows.Add((image, 0, 0));
                continue;
            }
            int count = Math.Max(1, (int)Math.Round(coverage * image.Height * image.Width / ((double)size * size)));
            for (int i = 0; i < count; i++)
                windows.Add((image, rng.NextInt(Math.Max(1, image.Height - size + 1)), rng.NextInt(Math.Max(1, image.Width - size + 1))));
        }
        int row = 3 * size * size;
        var crops = Tensor.Zeros(windows.Count, row);
        Parallel.For(0, windows.Count, i => CodecPixels.Fill(windows[i].Image, windows[i].Top, windows[i].Left, size, size, crops.Span.Slice(i * row, row)));
        return crops;
    }
}
