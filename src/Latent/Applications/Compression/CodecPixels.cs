using Latent.Engine;
using Latent.Imaging;
using Latent.Models;

namespace Latent.Applications.Compression;

/// <summary>Between 8-bit images and what the codec's networks take: RGB planes in [0, 1], padded to whole latent positions.</summary>
internal static class CodecPixels
{
    /// <summary>Gray or RGB images; the codec refuses the others with this sentence.</summary>
    public static void Check(Raster image)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.Color is not (PngColor.Gray or PngColor.Rgb))
            throw new ArgumentException($"The codec compresses gray or RGB images; this one is {image.Color} (remove its alpha channel first).");
    }

    /// <summary>The next multiple of <paramref name="alignment"/> (<see cref="ImageCodecConfig.Alignment"/>).</summary>
    public static long Padded(int size, int alignment) => ((long)size + alignment - 1) / alignment * alignment;

    /// <summary>
    /// The image as [1, 3, h', w'] with h', w' the next multiples of <paramref name="alignment"/>: gray repeated into
    /// three planes, the border rows and columns repeated into the padding (smooth, so it costs few bits).
    /// </summary>
    public static Tensor ToPaddedTensor(Raster image, int alignment)
    {
        int height = (int)Padded(image.Height, alignment), width = (int)Padded(image.Width, alignment);
        var planes = new float[3 * height * width];
        Fill(image, 0, 0, height, width, planes);
        return Tensor.FromArray(planes, 1, 3, height, width);
    }

    /// <summary>
    /// Writes the height × width window at (top, left) of the image extended by repeating its edges (so any window works)
    /// as three planes into <paramref name="planes"/>.
    /// </summary>
    public static void Fill(Raster image, int top, int left, int height, int width, Span<float> planes)
    {
        int channels = image.Color == PngColor.Gray ? 1 : 3, plane = height * width;
        byte[] pixels = image.Pixels;
        for (int r = 0; r < height; r++)
        {
            int row = Math.Clamp(top + r, 0, image.Height - 1);
            for (int c = 0; c < width; c++)
            {
                int at = (row * image.Width + Math.Clamp(left + c, 0, image.Width - 1)) * channels;
                for (int k = 0; k < 3; k++) planes[k * plane + r * width + c] = pixels[at + (channels == 1 ? 0 : k)] / 255f;
            }
        }
    }

    /// <summary>The top-left height × width of padded planes [1, 3, h', w'] as an 8-bit image (gray: the mean of the planes).</summary>
    public static Raster ToRaster(Tensor planes, int height, int width, int channels)
    {
        int paddedWidth = planes.Dim(3), plane = planes.Dim(2) * paddedWidth;
        ReadOnlySpan<float> values = planes.Span;
        var pixels = new byte[height * width * channels];
        for (int r = 0; r < height; r++)
            for (int c = 0; c < width; c++)
            {
                int from = r * paddedWidth + c, to = (r * width + c) * channels;
                if (channels == 1) pixels[to] = ToByte((values[from] + values[plane + from] + values[2 * plane + from]) / 3);
                else
                    for (int k = 0; k < 3; k++) pixels[to + k] = ToByte(values[k * plane + from]);
            }
        return new Raster(pixels, width, height, channels == 1 ? PngColor.Gray : PngColor.Rgb);
    }

    private static byte ToByte(float value) => (byte)Math.Clamp(MathF.Round(value * 255), 0, 255);
}
