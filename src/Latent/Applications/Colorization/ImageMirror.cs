using Latent.Engine;
using Latent.Imaging;

namespace Latent.Applications.Colorization;

/// <summary>
/// Training augmentation: each image of a batch is mirrored left to right with probability ½, all its planes alike, so
/// that the lightness a network sees and the colour it must predict stay aligned.
/// </summary>
internal static class ImageMirror
{
    /// <summary>Mirrors a random half of the rows of <paramref name="batch"/> [rows, channels × height × width] in place.</summary>
    public static void RandomHalf(Tensor batch, ImageShape shape, Rng rng)
    {
        Span<float> values = batch.Span;
        for (int r = 0; r < batch.Dim(0); r++)
            if ((rng.NextUInt64() & 1) == 1) Mirror(values.Slice(r * shape.Size, shape.Size), shape);
    }

    /// <summary>Reverses every row of pixels of every plane of one image, in place.</summary>
    public static void Mirror(Span<float> image, ImageShape shape)
    {
        for (int line = 0; line < shape.Channels * shape.Height; line++) image.Slice(line * shape.Width, shape.Width).Reverse();
    }
}
