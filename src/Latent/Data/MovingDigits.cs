using Latent.Engine;

namespace Latent.Data;

/// <summary>
/// Moving-MNIST-style clips (Srivastava et al. 2015) made by a seeded generator of our own: two 28×28 digits drawn at
/// random from the given images glide across a square frame at a constant speed in a random direction and bounce off its
/// edges; where they overlap the brighter pixel wins. The same digits, seed and sizes give the same clips.
/// </summary>
public static class MovingDigits
{
    private const int Digit = 28;

    /// <summary>
    /// <paramref name="clips"/> clips of <paramref name="frames"/> frames of <paramref name="size"/>×<paramref name="size"/>
    /// pixels in [0, 1]: [clips, frames · size · size], frame after frame, row after row.
    /// </summary>
    /// <param name="digits">28×28 images in [0, 1], one per row (MNIST).</param>
    /// <exception cref="ArgumentException">Rows that are not 28×28 images, a frame smaller than a digit, or counts below 1.</exception>
    public static Tensor Generate(Tensor digits, int clips, int frames = 20, int size = 64, ulong seed = 0)
    {
        if (digits.Rank != 2 || digits.Dim(1) != Digit * Digit || digits.Dim(0) == 0)
            throw new ArgumentException($"Moving digits need 28×28 digit images, one per row; got shape [{string.Join(", ", digits.Shape)}].");
        if (size < Digit) throw new ArgumentException($"A frame must be at least {Digit} pixels wide to hold a digit, not {size}.");
        if (clips < 1 || frames < 1) throw new ArgumentException($"Moving digits need at least one clip of one frame; got {clips} clips of {frames} frames.");
        var rng = new Rng(seed);
        int framePixels = size * size;
        var result = Tensor.Zeros(clips, frames * framePixels);
        ReadOnlySpan<float> images = digits.Span;
        Span<float> output = result.Span;
        float limit = size - Digit;
        for (int c = 0; c < clips; c++)
            for (int d = 0; d < 2; d++)
            {
                ReadOnlySpan<float> digit = images.Slice(rng.NextInt(digits.Dim(0)) * Digit * Digit, Digit * Digit);
                float x = rng.NextFloat() * limit, y = rng.NextFloat() * limit;
                float angle = rng.NextFloat() * 2 * MathF.PI, speed = 2f + rng.NextFloat() * 2f;   // 2–4 pixels a frame
                float dx = speed * MathF.Cos(angle), dy = speed * MathF.Sin(angle);
                for (int f = 0; f < frames; f++)
                {
                    Span<float> frame = output.Slice((c * frames + f) * framePixels, framePixels);
                    int left = (int)MathF.Round(x), top = (int)MathF.Round(y);
                    for (int r = 0; r < Digit; r++)
                        for (int col = 0; col < Digit; col++)
                        {
                            ref float pixel = ref frame[(top + r) * size + left + col];
                            pixel = MathF.Max(pixel, digit[r * Digit + col]);
                        }
                    (x, dx) = Bounce(x + dx, dx, limit);
                    (y, dy) = Bounce(y + dy, dy, limit);
                }
            }
        return result;
    }

    /// <summary>A coordinate that left [0, limit] reflected back inside (and kept there when the frame is barely wider than a digit), with its velocity reversed.</summary>
    private static (float Position, float Velocity) Bounce(float position, float velocity, float limit) =>
        position < 0 ? (Math.Min(-position, limit), -velocity) : position > limit ? (Math.Max(2 * limit - position, 0), -velocity) : (position, velocity);
}
