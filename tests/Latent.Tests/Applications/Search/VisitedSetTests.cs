using Latent.Applications.Search;

namespace Latent.Tests.Applications.Search;

public class VisitedSetTests
{
    [Fact]
    public void EachNodeIsNewOnceUntilClearedAcrossGrowingAndShrinking()
    {
        var visited = new VisitedSet();
        var rng = new Random(3);
        // 20,000 nodes grow the table several times over; each is offered twice.
        int[] nodes = [.. Enumerable.Range(0, 20_000).Select(_ => rng.Next(0, 10_000_000)).Distinct()];
        foreach (int node in nodes)
        {
            Assert.True(visited.Add(node));
            Assert.False(visited.Add(node));
        }
        Assert.All(nodes, node => Assert.False(visited.Add(node)));

        // Small searches after a large one: the table shrinks back after many of them, and stays correct throughout.
        for (int search = 0; search < 100; search++)
        {
            visited.Clear();
            Assert.All(nodes.Skip(search).Take(100), node => Assert.True(visited.Add(node)));
            Assert.All(nodes.Skip(search).Take(100), node => Assert.False(visited.Add(node)));
        }
        visited.Clear();
        Assert.True(visited.Add(nodes[0]));
        Assert.True(visited.Add(0));
        Assert.False(visited.Add(0));
    }
}
