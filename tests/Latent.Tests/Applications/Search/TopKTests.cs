using Latent.Applications.Search;

namespace Latent.Tests.Applications.Search;

public class TopKTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(10)]
    [InlineData(37)]
    public void KeepsTheKBestBestFirstWithTiesByLowerSlot(int k)
    {
        var rng = new Random(k);
        // Few distinct scores, so that many pairs tie; NaN is never kept.
        (float Score, int Slot)[] pairs = [.. Enumerable.Range(0, 500).Select(slot => (rng.Next(0, 20) * 0.5f, slot)).OrderBy(_ => rng.Next())];
        var top = new TopK(k);
        top.Offer(float.NaN, 1000);
        foreach (var (score, slot) in pairs) top.Offer(score, slot);

        var expected = pairs.OrderBy(p => p.Score).ThenBy(p => p.Slot).Take(k).ToArray();
        Assert.Equal(expected, top.Sorted());
        Assert.Equal(expected, top.Sorted());   // sorting leaves the heap as it was
    }
}
