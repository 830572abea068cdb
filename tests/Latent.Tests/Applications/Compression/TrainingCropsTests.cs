using Latent.Applications.Compression;
using Latent.Engine;
using Latent.Imaging;

namespace Latent.Tests.Applications.Compression;

public class TrainingCropsTests
{
    [Fact]
    public void SmallImagesArePackedIntoCropsAndLargeOnesCropped()
    {
        Raster[] small = [.. Enumerable.Range(0, 5).Select(i => CodecTestImages.Image(32, 32, i))];
        Raster large = CodecTestImages.Image(128, 96, 9);
        using Tensor crops = TrainingCrops.Sample([.. small, large], 64, coverage: 2, new Rng(1));
        Assert.Equal(2 + 6, crops.Dim(0));   // five small images in two crops (the second repeats the first three), 2 × 3 crops of the large one
        ReadOnlySpan<float> first = crops.Span[..(3 * 64 * 64)];
        for (int k = 0; k < 4; k++)
        {
            int top = k / 2 * 32, left = k % 2 * 32;
            for (int c = 0; c < 3; c++)
                Assert.Equal(small[k].Pixels[(5 * 32 + 7) * 3 + c] / 255f, first[c * 64 * 64 + (top + 5) * 64 + left + 7]);
        }
        ReadOnlySpan<float> second = crops.Span.Slice(3 * 64 * 64, 3 * 64 * 64);
        Assert.Equal(small[4].Pixels[0] / 255f, second[0]);
        Assert.Equal(small[0].Pixels[0] / 255f, second[32]);   // the second crop wraps round to image 0 after image 4
    }
}
