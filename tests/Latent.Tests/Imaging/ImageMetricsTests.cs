using Latent.Imaging;

namespace Latent.Tests.Imaging;

public class ImageMetricsTests
{
    [Fact]
    public void PsnrFromTheDefinition()
    {
        float[] a = [0f, 0.5f, 1f, 0.25f], b = [0.1f, 0.5f, 0.9f, 0.25f];   // MSE = 0.005
        Assert.Equal(10 * Math.Log10(1 / 0.005), ImageMetrics.Psnr(a, b), 4);
        Assert.Equal(10 * Math.Log10(255.0 * 255 / 0.005), ImageMetrics.Psnr(a, b, max: 255), 4);
        Assert.True(double.IsPositiveInfinity(ImageMetrics.Psnr(a, a)));
        Assert.Throws<ArgumentException>(() => ImageMetrics.Psnr(a, b[..3]));
    }

    [Fact]
    public void SsimOfIdenticalConstantAndUnrelatedImages()
    {
        var random = new Random(1);
        float[] x = [.. Enumerable.Range(0, 3 * 16 * 16).Select(_ => (float)random.NextDouble())];
        var shape = ImageShape.Rgb(16, 16);
        Assert.Equal(1.0, ImageMetrics.Ssim(x, x, shape), 6);
        // Constant images: no variance, so SSIM = (2·μx·μy + C1) / (μx² + μy² + C1).
        float[] low = [.. Enumerable.Repeat(0.2f, 256)], high = [.. Enumerable.Repeat(0.4f, 256)];
        Assert.Equal((2 * 0.2 * 0.4 + 1e-4) / (0.04 + 0.16 + 1e-4), ImageMetrics.Ssim(low, high, ImageShape.Gray(16, 16)), 5);
        float[] y = [.. Enumerable.Range(0, x.Length).Select(_ => (float)random.NextDouble())];
        Assert.InRange(ImageMetrics.Ssim(x, y, shape), -0.1, 0.1);   // independent noise: no structure in common
        float[] slightly = [.. x.Select(v => v + 0.01f)];
        Assert.InRange(ImageMetrics.Ssim(x, slightly, shape), 0.99, 1.0);
        Assert.Throws<ArgumentException>(() => ImageMetrics.Ssim(x, y[..10], shape));
    }

    [Fact]
    public void MedianFilterRemovesIsolatedSpecksAndMirrorsTheBorder()
    {
        float[] image = new float[25];
        image[12] = 1f;   // one white speck in the middle of black
        Assert.All(MedianFilter.Apply3x3(image, ImageShape.Gray(5, 5)), v => Assert.Equal(0f, v));
        // Row [1, 2, 3] mirrored: the corner's neighbourhood is {1,1,2} in each of three identical rows.
        float[] rows = [1, 2, 3, 1, 2, 3, 1, 2, 3];
        Assert.Equal([1f, 2f, 3f, 1f, 2f, 3f, 1f, 2f, 3f], MedianFilter.Apply3x3(rows, ImageShape.Gray(3, 3)));
    }
}
