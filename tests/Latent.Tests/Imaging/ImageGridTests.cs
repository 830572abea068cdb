using Latent.Imaging;

namespace Latent.Tests.Imaging;

public class ImageGridTests
{
    private static readonly GridLayout Tight = new() { Columns = 2, Padding = 1, Background = 1f, Scale = 1 };

    [Fact]
    public void PlacesImagesRowByRowWithPaddingAround()
    {
        // Three 2×2 gray images whose pixels are 0.1·image + 0.01·pixel index, two per row.
        float[] images = Enumerable.Range(0, 12).Select(i => (i / 4) * 0.1f + (i % 4) * 0.01f).ToArray();
        Raster grid = ImageGrid.Compose(images, ImageShape.Gray(2, 2), Tight);

        Assert.Equal((7, 7, PngColor.Gray), (grid.Width, grid.Height, grid.Color));   // 2 cells of 2 + 3 paddings each way
        Assert.Equal(255, At(grid, 0, 0));
        Assert.Equal(255, At(grid, 3, 1));                                     // between the two columns
        Assert.Equal(Byte(0.00f), At(grid, 1, 1));                             // image 0, pixel (0, 0)
        Assert.Equal(Byte(0.03f), At(grid, 2, 2));                             // image 0, pixel (1, 1)
        Assert.Equal(Byte(0.11f), At(grid, 5, 1));                             // image 1, pixel (0, 1)
        Assert.Equal(Byte(0.22f), At(grid, 1, 5));                             // image 2, pixel (1, 0)
        Assert.Equal(255, At(grid, 4, 4));                                     // the empty fourth cell
    }

    [Fact]
    public void UpscalesByNearestNeighbour()
    {
        Raster grid = ImageGrid.Compose([0f, 1f, 0.5f, 0.25f], ImageShape.Gray(2, 2), Tight with { Scale = 3 });
        Assert.Equal((8, 8), (grid.Width, grid.Height));   // one cell of 6 plus padding: fewer images than columns shrinks the grid
        for (int y = 0; y < 6; y++)
            for (int x = 0; x < 6; x++)
                Assert.Equal(Byte(new[] { 0f, 1f, 0.5f, 0.25f }[(y / 3) * 2 + x / 3]), At(grid, 1 + x, 1 + y));
    }

    [Fact]
    public void InterleavesChannelFirstColourImages()
    {
        // One 1×2 RGB image, channel-first: R plane, G plane, B plane.
        float[] image = [1f, 0f, /* G */ 0f, 1f, /* B */ 0.5f, 0.5f];
        Raster grid = ImageGrid.Compose(image, ImageShape.Rgb(1, 2), Tight with { Padding = 0 });
        Assert.Equal((2, 1, PngColor.Rgb), (grid.Width, grid.Height, grid.Color));
        Assert.Equal([255, 0, 128, 0, 255, 128], grid.Pixels);
    }

    [Fact]
    public void PairsShowOriginalsAboveOrBesideTheirReconstructions()
    {
        // Five 1×1 originals valued 0.1·i and reconstructions valued 0.1·i + 0.5.
        float[] originals = [0f, 0.1f, 0.2f, 0.3f, 0.4f];
        float[] rebuilt = originals.Select(v => v + 0.5f).ToArray();
        var layout = new GridLayout { Columns = 3, Padding = 0, Background = 1f };

        Raster rows = ImageGrid.ComposePairs(originals, rebuilt, ImageShape.Gray(1, 1), PairArrangement.AlternatingRows, layout);
        Assert.Equal((3, 4), (rows.Width, rows.Height));
        float[] o = originals, r = rebuilt;
        Assert.Equal(new[] { o[0], o[1], o[2], r[0], r[1], r[2], o[3], o[4], 1f, r[3], r[4], 1f }.Select(Byte), rows.Pixels);

        Raster sides = ImageGrid.ComposePairs(originals, rebuilt, ImageShape.Gray(1, 1), PairArrangement.SideBySide, layout);
        Assert.Equal((6, 2), (sides.Width, sides.Height));
        Assert.Equal(new[] { o[0], r[0], o[1], r[1], o[2], r[2], o[3], r[3], o[4], r[4], 1f, 1f }.Select(Byte), sides.Pixels);
    }

    [Fact]
    public void GridsEncodeAsPng()
    {
        float[] digits = Enumerable.Range(0, 10 * 64).Select(i => (i % 17) / 16f).ToArray();
        Raster grid = ImageGrid.Compose(digits, ImageShape.Gray(8, 8), new GridLayout { Columns = 5, Scale = 4 });
        var decoded = PngTestDecoder.Decode(PngWriter.Encode(grid));
        Assert.Equal((5 * 32 + 6 * 2, 2 * 32 + 3 * 2), (decoded.Width, decoded.Height));
        Assert.Equal(grid.Pixels, decoded.Pixels);
    }

    [Fact]
    public void BadArgumentsAreRejectedWithTheNumbers()
    {
        Assert.Contains("got 2", Assert.Throws<ArgumentException>(() => ImageGrid.Compose(new float[8], new ImageShape(2, 2, 2))).Message);
        Assert.Contains("10 values", Assert.Throws<ArgumentException>(() => ImageGrid.Compose(new float[10], ImageShape.Gray(2, 2))).Message);
        Assert.Throws<ArgumentException>(() => ImageGrid.Compose([], ImageShape.Gray(2, 2)));
        Assert.Throws<ArgumentException>(() => ImageGrid.Compose(new float[4], ImageShape.Gray(0, 4)));
        Assert.Contains("0", Assert.Throws<ArgumentException>(() => ImageGrid.Compose(new float[4], ImageShape.Gray(2, 2), Tight with { Columns = 0 })).Message);
        Assert.Throws<ArgumentException>(() => ImageGrid.Compose(new float[4], ImageShape.Gray(2, 2), Tight with { Scale = 0 }));
        Assert.Throws<ArgumentException>(() => ImageGrid.Compose(new float[4], ImageShape.Gray(2, 2), Tight with { Padding = -1 }));
        var e = Assert.Throws<ArgumentException>(() => ImageGrid.ComposePairs(new float[8], new float[12], ImageShape.Gray(2, 2)));
        Assert.Contains("2 originals but 3 reconstructions", e.Message);
    }

    private static byte At(Raster gray, int x, int y) => gray.Pixels[y * gray.Width + x];

    private static byte Byte(float v) => (byte)MathF.Round(v * 255f, MidpointRounding.AwayFromZero);
}
