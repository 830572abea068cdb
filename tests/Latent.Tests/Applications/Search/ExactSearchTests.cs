using Latent.Applications.Search;

namespace Latent.Tests.Applications.Search;

public class ExactSearchTests
{
    [Theory]
    [InlineData(DistanceMetric.Euclidean, 13)]
    [InlineData(DistanceMetric.Cosine, 13)]
    [InlineData(DistanceMetric.Euclidean, 40)]
    [InlineData(DistanceMetric.Cosine, 3)]
    public void EqualsANaiveScanOnRandomData(DistanceMetric metric, int dim)
    {
        // 5,003 rows: the last panel is partly empty; 37 queries: the last block of four is partly empty; enough work for every core.
        const int rows = 5003, queries = 37, k = 10;
        float[] data = SearchTestData.Gaussian(rows, dim, seed: 1), query = SearchTestData.Gaussian(queries, dim, seed: 2);
        var codes = new CodePanels(dim);
        for (int r = 0; r < rows; r++) codes.Add(data.AsSpan(r * dim, dim));
        float[] prepared = (float[])query.Clone();
        if (metric == DistanceMetric.Cosine)
            for (int q = 0; q < queries; q++) HnswGraph.Normalise(prepared.AsSpan(q * dim, dim));

        (float Score, int Slot)[][] found = ExactSearch.Search(codes, prepared, queries, k, metric);

        for (int q = 0; q < queries; q++)
        {
            var expected = SearchTestData.Naive(data, dim, query.AsSpan(q * dim, dim), k, metric);
            Assert.Equal(expected.Select(e => e.Row), found[q].Select(f => f.Slot));
            for (int i = 0; i < k; i++)
            {
                double distance = metric == DistanceMetric.Euclidean ? Math.Sqrt(found[q][i].Score) : 1 + found[q][i].Score;
                Assert.Equal(expected[i].Distance, distance, 1e-4);
            }
        }
    }

    [Fact]
    public void AVacatedSlotIsNeverFoundAndTheOthersKeepTheirNumbers()
    {
        const int dim = 5;
        float[] data = SearchTestData.Gaussian(100, dim, seed: 3);
        var codes = new CodePanels(dim);
        for (int r = 0; r < 100; r++) codes.Add(data.AsSpan(r * dim, dim));
        codes.Vacate(7);
        codes.Vacate(99);
        Assert.Equal(100, codes.Count);
        foreach (DistanceMetric metric in Enum.GetValues<DistanceMetric>())
        {
            float[] query = data[(7 * dim)..(8 * dim)];
            if (metric == DistanceMetric.Cosine) HnswGraph.Normalise(query);
            var found = ExactSearch.Search(codes, query, 1, 100, metric)[0];
            Assert.Equal(98, found.Length);
            Assert.DoesNotContain(found, f => f.Slot is 7 or 99);
            Assert.Contains(found, f => f.Slot == 98);
        }
    }
}
