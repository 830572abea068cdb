using Latent.Engine;
using Latent.Imaging;

namespace Latent.Tests.Applications;

/// <summary>Seeded synthetic colour images: a background and a square of another colour, whose colours follow their lightness.</summary>
internal static class ColorTestImages
{
    /// <summary><paramref name="count"/> RGB images as rows [count, 3 × size × size] in [0, 1].</summary>
    public static Tensor Squares(int count, int size, ulong seed)
    {
        var rng = new Rng(seed);
        int pixels = size * size;
        var rows = Tensor.Zeros(count, 3 * pixels);
        Span<float> v = rows.Span;
        for (int i = 0; i < count; i++)
        {
            // Dark backgrounds are blue, bright squares orange: colour can be told from lightness.
            float dark = 0.1f + 0.3f * rng.NextFloat(), bright = 0.6f + 0.4f * rng.NextFloat();
            int side = 2 + rng.NextInt(size / 2), top = rng.NextInt(size - side), left = rng.NextInt(size - side);
            for (int y = 0; y < size; y++)
                for (int x = 0; x < size; x++)
                {
                    bool inside = y >= top && y < top + side && x >= left && x < left + side;
                    (float r, float g, float b) = inside ? (bright, 0.6f * bright, 0.1f) : (0.2f * dark, 0.4f * dark, dark);
                    int p = y * size + x, at = i * 3 * pixels;
                    (v[at + p], v[at + pixels + p], v[at + 2 * pixels + p]) = (r, g, b);
                }
        }
        return rows;
    }

    public static ImageShape Shape(int size) => ImageShape.Rgb(size, size);
}
