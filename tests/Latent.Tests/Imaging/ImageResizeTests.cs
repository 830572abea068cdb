using Latent.Imaging;

namespace Latent.Tests.Imaging;

/// <summary>Expected values are Pillow's <c>Image.resize</c> of the same float image (mode "F").</summary>
public class ImageResizeTests
{
    // 5 rows × 7 columns: ((3x + 5y) mod 7) / 7
    private static readonly float[] Image = [.. Enumerable.Range(0, 35).Select(i => (i % 7 * 3 + i / 7 * 5) % 7 / 7f)];

    [Fact]
    public void BilinearShrinkingIsAntialiasedLikePillow()
    {
        float[] small = ImageResize.Resize(Image, ImageShape.Gray(5, 7), 3, 4);
        float[] pillow = [0.32653f, 0.48898f, 0.44327f, 0.45578f, 0.5102f, 0.41333f, 0.4419f, 0.37868f, 0.48299f, 0.36816f, 0.45959f, 0.37415f];
        for (int i = 0; i < pillow.Length; i++) Assert.Equal(pillow[i], small[i], 1e-4f);
    }

    [Fact]
    public void BilinearEnlargingLikePillow()
    {
        float[] big = ImageResize.Resize(Image, ImageShape.Gray(5, 7), 8, 9);
        float[] pillow = [0f, 0.28571f, 0.61905f, 0.73016f, 0.28571f, 0.61905f, 0.39683f, 0.28571f, 0.57143f, 0.3125f, 0.30655f, 0.49405f];
        for (int i = 0; i < pillow.Length; i++) Assert.Equal(pillow[i], big[i], 1e-4f);
    }

    [Fact]
    public void NearestAndChannels()
    {
        float[] nearest = ImageResize.Resize(Image, ImageShape.Gray(5, 7), 3, 4, ResizeFilter.Nearest);
        float[] pillow = [0f, 0.85714f, 0.71429f, 0.57143f, 0.42857f, 0.28571f, 0.14286f, 0f, 0.85714f, 0.71429f, 0.57143f, 0.42857f];
        for (int i = 0; i < pillow.Length; i++) Assert.Equal(pillow[i], nearest[i], 1e-4f);
        float[] two = [.. Image, .. Image.Select(v => 1 - v)];
        float[] both = ImageResize.Resize(two, new ImageShape(2, 5, 7), 3, 4);
        float[] first = ImageResize.Resize(Image, ImageShape.Gray(5, 7), 3, 4);
        for (int i = 0; i < 12; i++) Assert.Equal(1 - first[i], both[12 + i], 5);
        Assert.Equal(Image, ImageResize.Resize(Image, ImageShape.Gray(5, 7), 5, 7));   // same size: unchanged
        Assert.Throws<ArgumentException>(() => ImageResize.Resize(Image, ImageShape.Gray(5, 6), 3, 4));
        Assert.Throws<ArgumentException>(() => ImageResize.Resize(Image, ImageShape.Gray(5, 7), 0, 4));
    }
}
