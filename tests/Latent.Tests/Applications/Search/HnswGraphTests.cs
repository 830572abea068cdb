using Latent.Applications.Search;

namespace Latent.Tests.Applications.Search;

public class HnswGraphTests
{
    [Theory]
    [InlineData(DistanceMetric.Euclidean)]
    [InlineData(DistanceMetric.Cosine)]
    public void FindsNinetyFivePercentOfTheTrueTenNearestOnClusteredData(DistanceMetric metric)
    {
        const int rows = 8_000, dim = 16, queries = 100, k = 10;
        float[] data = SearchTestData.Clustered(rows, dim, clusters: 100, centreSeed: 4, noiseSeed: 5);
        float[] query = SearchTestData.Clustered(queries, dim, clusters: 100, centreSeed: 4, noiseSeed: 99);
        var graph = new HnswGraph(dim, metric, m: 12, efConstruction: 100);
        graph.AddRange(data, rows);

        int hits = 0;
        for (int q = 0; q < queries; q++)
        {
            var truth = SearchTestData.Naive(data, dim, query.AsSpan(q * dim, dim), k, metric).Select(t => t.Row).ToHashSet();
            hits += graph.Search(query.AsSpan(q * dim, dim), k, ef: 64).Count(f => truth.Contains(f.Node));
        }
        double recall = hits / (double)(queries * k);
        Assert.True(recall >= 0.95, $"recall@10 {recall:F3}");
    }

    [Fact]
    public void NodesAddedLaterAreFound()
    {
        const int dim = 8;
        float[] data = SearchTestData.Gaussian(600, dim, seed: 5);
        var graph = new HnswGraph(dim, DistanceMetric.Euclidean, m: 8, efConstruction: 50);
        graph.AddRange(data.AsSpan(0, 500 * dim), 500);
        graph.AddRange(data.AsSpan(500 * dim), 100);
        Assert.Equal(600, graph.Count);
        for (int node = 500; node < 600; node += 7)
            Assert.Equal(node, graph.Search(data.AsSpan(node * dim, dim), 1, ef: 32)[0].Node);
    }

    [Fact]
    public void DeletedNodesAreNeverReturnedButStillLeadToTheirNeighbours()
    {
        const int dim = 8, rows = 2000;
        float[] data = SearchTestData.Clustered(rows, dim, clusters: 10, centreSeed: 6, noiseSeed: 7);
        var graph = new HnswGraph(dim, DistanceMetric.Euclidean, m: 8, efConstruction: 64);
        graph.AddRange(data, rows);
        for (int node = 0; node < rows; node += 2) graph.MarkDeleted(node);
        Assert.Equal(rows / 2, graph.Deleted);
        for (int q = 0; q < 50; q++)
        {
            var found = graph.Search(data.AsSpan(q * 2 * dim, dim), 10, ef: 32);
            Assert.Equal(10, found.Length);
            Assert.All(found, f => Assert.Equal(1, f.Node % 2));
        }
    }

    [Fact]
    public void AWrittenGraphReadsBackWithTheSameAnswers()
    {
        const int dim = 6, rows = 1000;
        float[] data = SearchTestData.Gaussian(rows, dim, seed: 8);
        var graph = new HnswGraph(dim, DistanceMetric.Cosine, m: 6, efConstruction: 40);
        graph.AddRange(data, rows);
        graph.MarkDeleted(3);
        var stream = new MemoryStream();
        var writer = new Latent.Storage.ChecksummedWriter(stream);
        graph.Write(writer);
        writer.Finish();
        stream.Position = 0;
        var reader = new Latent.Storage.ChecksummedReader(stream, "the test graph");
        HnswGraph read = HnswGraph.Read(reader, dim);
        reader.VerifyEnd();
        Assert.Equal((rows, 1), (read.Count, read.Deleted));
        for (int q = 0; q < rows; q += 37)
            Assert.Equal(graph.Search(data.AsSpan(q * dim, dim), 5, 20), read.Search(data.AsSpan(q * dim, dim), 5, 20));
        read.AddRange(data.AsSpan(0, dim), 1);   // a read graph grows like any other
        Assert.Equal(rows + 1, read.Count);
    }

    [Fact]
    public void AGraphWhoseLinksNameNodesItLacksIsRefusedEvenWithAMatchingChecksum()
    {
        const int dim = 4, rows = 200;
        var graph = new HnswGraph(dim, DistanceMetric.Euclidean, m: 4, efConstruction: 20);
        graph.AddRange(SearchTestData.Gaussian(rows, dim, seed: 2), rows);
        var stream = new MemoryStream();
        var writer = new Latent.Storage.ChecksummedWriter(stream);
        graph.Write(writer);
        writer.Finish();
        byte[] bytes = stream.ToArray()[..^Latent.Storage.BlockChecksum.Bytes];
        const int settings = 4 + 4 + 4 + 8 + 4 + 4 + 4;   // metric, m, efConstruction, seed, count, entry, top level
        BitConverter.TryWriteBytes(bytes.AsSpan(settings + dim * sizeof(float)), rows + 5);   // node 0's first link

        var forged = new MemoryStream();
        var rewriter = new Latent.Storage.ChecksummedWriter(forged);
        rewriter.Write<byte>(bytes);
        rewriter.Finish();
        forged.Position = 0;
        var e = Assert.Throws<InvalidDataException>(() => HnswGraph.Read(new Latent.Storage.ChecksummedReader(forged, "the test graph"), dim));
        Assert.Contains("links to nodes it does not have", e.Message);
    }
}
