using Latent.Engine;
using Latent.Imaging;

namespace Latent.Applications.Segmentation;

/// <summary>
/// A toy segmentation problem to try a <see cref="Segmenter"/> on: gray images of discs (class 1) and squares (class 2) on
/// a noisy background (class 0), with their masks. Shapes have random sizes (radius 12 % to 25 % of the side), places and
/// brightness, and do not touch; what tells a disc from a square is its outline, not its brightness.
/// </summary>
/// <example>
/// <code>
/// var (images, masks) = SyntheticShapes.Generate(500, 32, seed: 1);   // images [500, 1024], masks 500 × 1024 class ids
/// </code>
/// </example>
public static class SyntheticShapes
{
    /// <summary>Number of classes: background, disc, square.</summary>
    public const int Classes = 3;

    /// <summary>Names of the classes, by id.</summary>
    public static IReadOnlyList<string> ClassNames { get; } = ["background", "disc", "square"];

    /// <summary>The image shape of <paramref name="size"/> × <paramref name="size"/> gray images.</summary>
    public static ImageShape Shape(int size) => ImageShape.Gray(size, size);

    /// <summary><paramref name="count"/> images (rows of size² values in [0, 1]) and their masks (size² class ids each, row after row).</summary>
    /// <exception cref="ArgumentException">A count below 1 or a size below 8.</exception>
    public static (Tensor Images, int[] Masks) Generate(int count, int size, ulong seed)
    {
        if (count < 1) throw new ArgumentException($"Generate at least one image, not {count}.");
        if (size < 8) throw new ArgumentException($"Images must be at least 8 pixels wide, not {size}.");
        var rng = new Rng(seed);
        int pixels = size * size;
        var images = Tensor.Zeros(count, pixels);
        var masks = new int[count * pixels];
        Span<float> v = images.Span;
        for (int i = 0; i < count; i++)
        {
            Span<float> image = v.Slice(i * pixels, pixels);
            Span<int> mask = masks.AsSpan(i * pixels, pixels);
            float background = 0.15f + 0.2f * rng.NextFloat();
            image.Fill(background);
            int shapes = 1 + rng.NextInt(3);
            for (int s = 0, attempts = 0; s < shapes && attempts < 20; attempts++)
            {
                int cls = 1 + rng.NextInt(2);
                float radius = size * (0.12f + 0.13f * rng.NextFloat());
                float cy = radius + rng.NextFloat() * (size - 2 * radius), cx = radius + rng.NextFloat() * (size - 2 * radius);
                float brightness = 0.55f + 0.4f * rng.NextFloat();
                bool Inside(int y, int x)
                {
                    float dy = y + 0.5f - cy, dx = x + 0.5f - cx;
                    return cls == 1 ? dx * dx + dy * dy <= radius * radius : Math.Abs(dx) <= radius && Math.Abs(dy) <= radius;
                }
                // Shapes do not touch (a disc merged with a square would have no true outline to learn from).
                bool free = true;
                for (int y = 0; y < size && free; y++)
                    for (int x = 0; x < size && free; x++)
                        free = !Inside(y, x) || Neighbourhood(mask, size, y, x) == 0;
                if (!free) continue;
                for (int y = 0; y < size; y++)
                    for (int x = 0; x < size; x++)
                        if (Inside(y, x))
                        {
                            image[y * size + x] = brightness;
                            mask[y * size + x] = cls;
                        }
                s++;
            }
            for (int p = 0; p < pixels; p++) image[p] = Math.Clamp(image[p] + 0.05f * rng.NextNormal(), 0f, 1f);
        }
        return (images, masks);
    }

    /// <summary>The largest class id within one pixel of (y, x).</summary>
    private static int Neighbourhood(ReadOnlySpan<int> mask, int size, int y, int x)
    {
        int found = 0;
        for (int i = Math.Max(0, y - 1); i <= Math.Min(size - 1, y + 1); i++)
            for (int j = Math.Max(0, x - 1); j <= Math.Min(size - 1, x + 1); j++) found = Math.Max(found, mask[i * size + j]);
        return found;
    }
}
