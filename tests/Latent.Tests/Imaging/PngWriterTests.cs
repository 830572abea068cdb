using Latent.Imaging;

namespace Latent.Tests.Imaging;

public class PngWriterTests
{
    public static TheoryData<PngColor, int, int> ColorsAndSizes()
    {
        var data = new TheoryData<PngColor, int, int>();
        foreach (PngColor color in Enum.GetValues<PngColor>())
            foreach (var (w, h) in new[] { (1, 1), (3, 17), (255, 2), (2, 255), (31, 7) })
                data.Add(color, w, h);
        return data;
    }

    [Theory]
    [MemberData(nameof(ColorsAndSizes))]
    public void RoundTripsEveryColourTypeAndSize(PngColor color, int width, int height)
    {
        byte[] pixels = SamplePixels(width, height, Channels(color), seed: width * 1000 + height);
        var decoded = PngTestDecoder.Decode(PngWriter.Encode(pixels, width, height, color));
        Assert.Equal((width, height), (decoded.Width, decoded.Height));
        Assert.Equal(ColorTypeCode(color), decoded.ColorType);
        Assert.Equal(pixels, decoded.Pixels);
    }

    [Fact]
    public void KnownChunkCrcsMatchTheSpecification()
    {
        Assert.Equal(0xAE426082u, Crc32.Compute("IEND"u8));
        Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8));   // the standard CRC-32 check value
        Assert.Equal(Crc32.Compute("IHDRdata"u8), Crc32.Append(Crc32.Compute("IHDR"u8), "data"u8));

        byte[] file = PngWriter.Encode([7], 1, 1, PngColor.Gray);
        Assert.Equal([0, 0, 0, 0, (byte)'I', (byte)'E', (byte)'N', (byte)'D', 0xAE, 0x42, 0x60, 0x82], file[^12..]);
    }

    [Fact]
    public void EachRowGetsTheFilterWithTheSmallestSumOfAbsoluteDifferences()
    {
        // A horizontal ramp: the first row is best predicted from the left, every later row from the row above.
        const int width = 40, height = 4;
        byte[] ramp = new byte[width * height];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++) ramp[y * width + x] = (byte)(x * 6);
        Assert.Equal([1, 2, 2, 2], PngTestDecoder.Decode(PngWriter.Encode(ramp, width, height, PngColor.Gray)).RowFilters);

        // On a mixed image, the chosen filter's cost is the minimum over all five for every row.
        const int w = 23, h = 30, channels = 3;
        byte[] pixels = SamplePixels(w, h, channels, seed: 5);
        var decoded = PngTestDecoder.Decode(PngWriter.Encode(pixels, w, h, PngColor.Rgb));
        var output = new byte[w * channels];
        var used = new HashSet<byte>();
        for (int y = 0; y < h; y++)
        {
            byte[] row = pixels[(y * w * channels)..((y + 1) * w * channels)];
            byte[] prior = y == 0 ? new byte[w * channels] : pixels[((y - 1) * w * channels)..(y * w * channels)];
            long[] costs = Enumerable.Range(0, 5).Select(f => PngRowFilter.Apply((byte)f, row, prior, channels, output)).ToArray();
            Assert.Equal(costs.Min(), costs[decoded.RowFilters[y]]);
            used.Add(decoded.RowFilters[y]);
        }
        Assert.True(used.Count >= 3, $"Expected a mixed image to use several filters, got {string.Join(",", used)}.");
    }

    [Fact]
    public void LargeImagesSpanSeveralIdatChunks()
    {
        const int width = 1100, height = 1000;   // random bytes do not compress: more than one 1 MiB IDAT chunk
        byte[] pixels = new byte[width * height];
        new Random(3).NextBytes(pixels);
        var decoded = PngTestDecoder.Decode(PngWriter.Encode(pixels, width, height, PngColor.Gray));
        Assert.True(decoded.ChunkTypes.Count(t => t == "IDAT") >= 2);
        Assert.Equal(pixels, decoded.Pixels);
    }

    [Fact]
    public void FloatPixelsAreClampedAndRounded()
    {
        float[] values = [-1f, 0f, 0.5f, 1f, 2f, float.NaN, 0.2f, 0.999f];
        var decoded = PngTestDecoder.Decode(PngWriter.Encode(values, 4, 1, PngColor.GrayAlpha));
        Assert.Equal([0, 0, 128, 255, 255, 0, 51, 255], decoded.Pixels);
    }

    [Fact]
    public void BadArgumentsAreRejectedWithTheNumbers()
    {
        var e = Assert.Throws<ArgumentException>(() => PngWriter.Encode(new byte[10], 3, 3, PngColor.Gray));
        Assert.Contains("3×3", e.Message);
        Assert.Contains("9", e.Message);
        Assert.Contains("10", e.Message);
        Assert.Contains("0×5", Assert.Throws<ArgumentException>(() => PngWriter.Encode(Array.Empty<byte>(), 0, 5, PngColor.Rgb)).Message);
        Assert.Contains("4×-1", Assert.Throws<ArgumentException>(() => PngWriter.Encode(Array.Empty<byte>(), 4, -1, PngColor.Rgb)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => PngWriter.Encode(new byte[4], 1, 1, (PngColor)9));
        Assert.Contains("12", Assert.Throws<ArgumentException>(() => PngWriter.Encode(new float[11], 2, 2, PngColor.Rgb)).Message);
        Assert.Throws<ArgumentException>(() => new Raster(new byte[5], 2, 2, PngColor.Gray));
    }

    [Fact]
    public void WriteReplacesTheFileAtomically()
    {
        using var dir = new TempFolder();
        string path = dir.File("image.png");
        File.WriteAllText(path, "old content");
        PngWriter.Write(path, [1, 2, 3, 4, 5, 6], 2, 1, PngColor.Rgb);
        Assert.Equal([1, 2, 3, 4, 5, 6], PngTestDecoder.Decode(File.ReadAllBytes(path)).Pixels);
        Assert.Equal([path], Directory.GetFiles(dir.Path));   // no temporary file left behind
    }

    [Fact]
    public void AFailedWriteLeavesNoFile()
    {
        using var dir = new TempFolder();
        string missing = Path.Combine(dir.Path, "no-such-folder", "image.png");
        Assert.Throws<DirectoryNotFoundException>(() => PngWriter.Write(missing, [0], 1, 1, PngColor.Gray));
        Assert.False(Directory.Exists(Path.GetDirectoryName(missing)));

        string existing = dir.File("keep.png");
        File.WriteAllText(existing, "old content");
        Assert.Throws<ArgumentException>(() => PngWriter.Write(existing, new byte[3], 2, 2, PngColor.Gray));
        Assert.Equal("old content", File.ReadAllText(existing));
        Assert.Equal([existing], Directory.GetFiles(dir.Path));
    }

    /// <summary>Smooth gradients (which filters predict) with noise in one corner (which they do not).</summary>
    private static byte[] SamplePixels(int width, int height, int channels, int seed)
    {
        var random = new Random(seed);
        var pixels = new byte[width * height * channels];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                for (int c = 0; c < channels; c++)
                    pixels[(y * width + x) * channels + c] = x < width / 3 && y < height / 3
                        ? (byte)random.Next(256)
                        : (byte)(x * 3 + y * 5 + c * 40);
        return pixels;
    }

    private static int Channels(PngColor color) => color switch { PngColor.Gray => 1, PngColor.GrayAlpha => 2, PngColor.Rgb => 3, _ => 4 };

    private static int ColorTypeCode(PngColor color) => color switch { PngColor.Gray => 0, PngColor.GrayAlpha => 4, PngColor.Rgb => 2, _ => 6 };
}
