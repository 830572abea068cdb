using Latent.Imaging;

namespace Latent.Tests.Imaging;

public class ImageConversionTests
{
    /// <summary>A 6×4 colour image whose red plane is a left-to-right ramp.</summary>
    private static PngImage ColourImage(TempFolder folder)
    {
        var pixels = new byte[6 * 4 * 3];
        for (int p = 0; p < 24; p++) (pixels[3 * p], pixels[3 * p + 1], pixels[3 * p + 2]) = ((byte)(40 * (p % 6)), 100, 30);
        string path = folder.File("colour.png");
        PngWriter.Write(path, pixels, 6, 4, PngColor.Rgb);
        return PngReader.Read(path);
    }

    [Fact]
    public void AnImageOfTheModelsShapePassesUnchanged()
    {
        using var folder = new TempFolder();
        PngImage image = ColourImage(folder);
        float[] values = ImageConversion.Fit(image, ImageShape.Rgb(4, 6), "colour.png", convert: false, out bool converted);
        Assert.False(converted);
        Assert.Equal(image.ToFloats(3), values);
    }

    [Theory]
    [InlineData(1, 4, 6)]
    [InlineData(3, 8, 8)]
    [InlineData(1, 28, 28)]
    public void AnotherSizeOrColourIsRefusedNamingBothShapes(int channels, int height, int width)
    {
        using var folder = new TempFolder();
        var target = new ImageShape(channels, height, width);
        var e = Assert.Throws<InvalidDataException>(() => ImageConversion.Fit(ColourImage(folder), target, "colour.png", convert: false, out _));
        Assert.StartsWith($"'colour.png' is a 6×4 colour image but the model takes {ImageConversion.Describe(target)} images", e.Message);
        Assert.Contains("--resize", e.Message);
    }

    [Fact]
    public void ConversionResizesAndTurnsColourIntoGrayWhenAllowed()
    {
        using var folder = new TempFolder();
        PngImage image = ColourImage(folder);
        float[] gray = ImageConversion.Fit(image, ImageShape.Gray(4, 6), "colour.png", convert: true, out bool converted);
        Assert.True(converted);
        Assert.Equal(image.ToFloats(1), gray);   // BT.601 luma of the same pixels
        float[] small = ImageConversion.Fit(image, ImageShape.Gray(2, 3), "colour.png", convert: true, out _);
        Assert.Equal(6, small.Length);
        Assert.True(small[2] > small[0]);        // the ramp survives the resize
        Assert.Equal("28×28 gray", ImageConversion.Describe(ImageShape.Gray(28, 28)));
    }
}
