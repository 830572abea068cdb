using Latent.Storage;

namespace Latent.Tests.Storage;

public sealed class BlockChecksumTests
{
    private static byte[] Of(params byte[][] pieces)
    {
        var checksum = new BlockChecksum();
        foreach (byte[] piece in pieces) checksum.Append(piece);
        return checksum.Finish();
    }

    [Fact]
    public void TheSameBytesInAnyPiecesGiveTheSameChecksum()
    {
        byte[] data = new byte[1000];
        new Random(1).NextBytes(data);
        byte[] whole = Of(data);
        Assert.Equal(whole, Of(data[..7], data[7..40], data[40..41], data[41..999], data[999..]));
        Assert.Equal(whole, Of([.. Enumerable.Range(0, 100).Select(i => data[(i * 10)..(i * 10 + 10)])]));
    }

    [Fact]
    public void EveryFlippedBitAndEveryCutChangesIt()
    {
        byte[] data = new byte[200];
        new Random(2).NextBytes(data);
        byte[] whole = Of(data);
        for (int bit = 0; bit < data.Length * 8; bit++)
        {
            byte[] flipped = (byte[])data.Clone();
            flipped[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.NotEqual(whole, Of(flipped));
        }
        for (int length = 0; length < data.Length; length++) Assert.NotEqual(whole, Of(data[..length]));
        Assert.NotEqual(Of(new byte[64]), Of(new byte[65]));   // zeros, too: the length counts
    }
}
