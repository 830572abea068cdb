using Latent.Applications.Compression;

namespace Latent.Tests.Applications.Compression;

public class LatContainerTests
{
    private static readonly LatContainer Sample = new(33, 17, 2, 3, [1, 2, 3, 4, 5, 6, 7, 8], [.. Enumerable.Range(0, 100).Select(i => (byte)(i * 7))]);

    [Fact]
    public void AContainerRoundTrips()
    {
        LatContainer read = LatContainer.Parse(Sample.ToBytes());
        Assert.Equal((33, 17, 2, 3), (read.Width, read.Height, read.Quality, read.Channels));
        Assert.Equal(Sample.Fingerprint, read.Fingerprint);
        Assert.Equal(Sample.Payload, read.Payload);
    }

    [Fact]
    public void EveryFlippedBitIsCaughtWithOneClearMessage()
    {
        byte[] bytes = Sample.ToBytes();
        for (int i = 0; i < bytes.Length; i++)
        {
            byte[] damaged = (byte[])bytes.Clone();
            damaged[i] ^= 0x10;
            var e = Assert.Throws<InvalidDataException>(() => LatContainer.Parse(damaged, "'x.lat'"));
            Assert.StartsWith("'x.lat' ", e.Message);
        }
    }

    [Fact]
    public void TruncatedForeignAndFutureFilesAreRefused()
    {
        byte[] bytes = Sample.ToBytes();
        Assert.Contains("is truncated", Assert.Throws<InvalidDataException>(() => LatContainer.Parse(bytes[..40], "'x.lat'")).Message);
        Assert.Contains("is truncated", Assert.Throws<InvalidDataException>(() => LatContainer.Parse(bytes[..10], "'x.lat'")).Message);
        Assert.Contains("not a Latent compressed image", Assert.Throws<InvalidDataException>(() => LatContainer.Parse("\x89PNG\r\n\x1a\n"u8.ToArray())).Message);
        Assert.Contains("not a Latent compressed image", Assert.Throws<InvalidDataException>(() => LatContainer.Parse([])).Message);
        byte[] future = (byte[])bytes.Clone();
        future[4] = 9;
        Assert.Contains("uses .lat version 9", Assert.Throws<InvalidDataException>(() => LatContainer.Parse(future)).Message);
    }
}
