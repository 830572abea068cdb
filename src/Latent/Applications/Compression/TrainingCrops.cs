using Latent.Engine;
using Latent.Imaging;

namespace Latent.Applications.Compression;

/// <summary>The training rows of a codec: square crops of the images, 3 × size × size values in [0, 1] each.</summary>
internal static class TrainingCrops
{
    /// <summary>
    /// An image larger than a crop gives <paramref name="coverage"/> times as many random crops as would tile it, at
    /// positions drawn from <paramref name="rng"/>. Smaller images of one size are packed side by side into crops, in
    /// order (CIFAR-10's 32×32 images fill a 64×64 crop four at a time; the last crop repeats the first images), so that
    /// no crop is mostly padding; a small image that fits no whole number of times is padded by its edges.
    /// </summary>
    public static Tensor Sample(IReadOnlyList<Raster> images, int size, float coverage, Rng rng)
    {
        var crops = new List<Tile[]>();
        foreach (var group in images.Where(i => i.Height <= size && i.Width <= size).GroupBy(i => (i.Height, i.Width)))
        {
            Raster[] small = [.. group];
            int across = size / group.Key.Width, down = size / group.Key.Height, perCrop = across * down;
            for (int start = 0; start < small.Length; start += perCrop)
                crops.Add([.. Enumerable.Range(0, perCrop).Select(k => new Tile(small[(start + k) % small.Length], 0, 0,
                    k / across * group.Key.Height, k % across * group.Key.Width, perCrop == 1 ? size : group.Key.Height, perCrop == 1 ? size : group.Key.Width))]);
        }
        foreach (Raster image in images.Where(i => i.Height > size || i.Width > size))
        {
            int count = Math.Max(1, (int)Math.Round(coverage * image.Height * image.Width / ((double)size * size)));
            for (int i = 0; i < count; i++)
                crops.Add([new Tile(image, rng.NextInt(Math.Max(1, image.Height - size + 1)), rng.NextInt(Math.Max(1, image.Width - size + 1)), 0, 0, size, size)]);
        }
        int row = 3 * size * size;
        var result = Tensor.Zeros(crops.Count, row);
        Parallel.For(0, crops.Count, i =>
        {
            Span<float> crop = result.Span.Slice(i * row, row);
            foreach (Tile tile in crops[i])
            {
                var planes = new float[3 * tile.Height * tile.Width];
                CodecPixels.Fill(tile.Image, tile.Top, tile.Left, tile.Height, tile.Width, planes);
                for (int c = 0; c < 3; c++)
                    for (int r = 0; r < tile.Height; r++)
                        planes.AsSpan((c * tile.Height + r) * tile.Width, tile.Width).CopyTo(crop.Slice(c * size * size + (tile.AtTop + r) * size + tile.AtLeft, tile.Width));
            }
        });
        return result;
    }

    /// <summary>The height × width window at (Top, Left) of an image, placed at (AtTop, AtLeft) of a crop.</summary>
    private sealed record Tile(Raster Image, int Top, int Left, int AtTop, int AtLeft, int Height, int Width);
}
