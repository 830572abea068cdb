using Latent.Engine;

namespace Latent.Engine.Tests;

public class RngTests
{
    [Fact]
    public void SameSeedSameSequenceAndDifferentSeedsDiffer()
    {
        var a = new Rng(42);
        var b = new Rng(42);
        var c = new Rng(43);
        ulong[] sa = [.. Enumerable.Range(0, 8).Select(_ => a.NextUInt64())];
        Assert.Equal(sa, Enumerable.Range(0, 8).Select(_ => b.NextUInt64()));
        Assert.NotEqual(sa, Enumerable.Range(0, 8).Select(_ => c.NextUInt64()));
    }

    [Fact]
    public void DistributionsHaveTheirMoments()
    {
        var rng = new Rng(1);
        var normal = new float[200_000];
        rng.FillNormal(normal, 2f, 3f);
        double mean = normal.Average(v => (double)v);
        double std = Math.Sqrt(normal.Average(v => (v - mean) * (v - mean)));
        Assert.Equal(2.0, mean, 1);
        Assert.Equal(3.0, std, 1);

        var uniform = new float[200_000];
        rng.FillUniform(uniform, -1f, 3f);
        Assert.All(uniform, v => Assert.InRange(v, -1f, 3f));
        Assert.Equal(1.0, uniform.Average(v => (double)v), 1);
    }

    [Fact]
    public void PermutationContainsEveryIndexOnce()
    {
        int[] p = new Rng(5).Permutation(1000);
        Assert.Equal(Enumerable.Range(0, 1000), p.Order());
        Assert.NotEqual(Enumerable.Range(0, 1000), p);
    }
}
