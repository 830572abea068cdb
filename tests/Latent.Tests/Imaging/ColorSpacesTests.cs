using Latent.Imaging;

namespace Latent.Tests.Imaging;

public class ColorSpacesTests
{
    // Pure red, green, blue, mid gray and white, channel-first: all R, then all G, then all B.
    private static readonly float[] Colours = [1, 0, 0, .5f, 1, 0, 1, 0, .5f, 1, 0, 0, 1, .5f, 1];

    [Fact]
    public void LabOfKnownColours()
    {
        var lab = new float[15];
        ColorSpaces.RgbToLab(Colours, lab, 5);
        // Published CIE L*a*b* (D65) of the sRGB primaries, mid gray and white.
        float[] expected = [53.24f, 87.73f, 32.30f, 53.39f, 100f, 80.09f, -86.18f, 79.19f, 0f, 0f, 67.20f, 83.18f, -107.86f, 0f, 0f];
        for (int i = 0; i < 15; i++) Assert.True(Math.Abs(expected[i] - lab[i]) < 0.02f, $"value {i}: expected {expected[i]}, got {lab[i]}");
    }

    [Fact]
    public void YCbCrOfKnownColours()
    {
        var ycc = new float[15];
        ColorSpaces.RgbToYCbCr(Colours, ycc, 5);
        float[] expected = [.299f, .587f, .114f, .5f, 1f, .331264f, .168736f, 1f, .5f, .5f, 1f, .081312f, .418688f, .5f, .5f];
        for (int i = 0; i < 15; i++) Assert.Equal(expected[i], ycc[i], 5);
        var gray = new float[5];
        ColorSpaces.RgbToGray(Colours, gray, 5);
        Assert.Equal(ycc[..5], gray);
    }

    [Fact]
    public void ConversionsRoundTripInPlace()
    {
        var random = new Random(1);
        float[] rgb = [.. Enumerable.Range(0, 3 * 200).Select(_ => (float)random.NextDouble())];
        float[] work = (float[])rgb.Clone();
        ColorSpaces.RgbToLab(work, work, 200);
        ColorSpaces.LabToRgb(work, work, 200);
        for (int i = 0; i < rgb.Length; i++) Assert.Equal(rgb[i], work[i], 4);
        ColorSpaces.RgbToYCbCr(work, work, 200);
        ColorSpaces.YCbCrToRgb(work, work, 200);
        for (int i = 0; i < rgb.Length; i++) Assert.Equal(rgb[i], work[i], 4);
    }

    [Fact]
    public void WrongLengthsAndPartialOverlapsAreRefused()
    {
        var e = Assert.Throws<ArgumentException>(() => ColorSpaces.RgbToLab(new float[14], new float[15], 5));
        Assert.Contains("15", e.Message);
        Assert.Throws<ArgumentException>(() => ColorSpaces.RgbToGray(new float[15], new float[4], 5));
        float[] shared = new float[16];
        Assert.Throws<ArgumentException>(() => ColorSpaces.RgbToYCbCr(shared.AsSpan(0, 15), shared.AsSpan(1, 15), 5));
    }
}
