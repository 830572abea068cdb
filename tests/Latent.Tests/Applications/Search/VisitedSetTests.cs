using Latent.Applications.Search;

namespace Latent.Tests.Applications.Search;

public class VisitedSetTests
{
    [Fact]
    public void EachNodeIsNewOnceUntilClearedAcrossGrowingAndShrinking()
    {
        var visited = new VisitedSet();
        var rng = new Random(3);
        // 20,000 nodes grow the table several times over; every other one is offered twice.
        int[] nodes = [.. Enumerable.Range(0, 20_000).Select(_ => rng.Next(0, 10_000_000)).Distinct()];
        foreach (int node in nodes)
        {
            Assert.True(visited.Add(node));
            Assert.False(visited.Add(node));
        }
        Assert.All(nodes, node => Assert.False(visited.Add(node)));

        visited.Clear();   // shrinks back to the small table
        Assert.All(nodes.Take(100), node => Assert.True(visited.Add(node)));
        Assert.All(nodes.Take(100), node => Assert.False(visited.Add(node)));
        Assert.True(visited.Add(nodes[100]));
        visited.Clear();
        Assert.True(visited.Add(nodes[0]));
        Assert.True(visited.Add(0));
        Assert.False(visited.Add(0));
    }
}
