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
    public void RemovingMovesTheLastCodeAndKeepsAnswersExact()
    {
        const int dim = 5;
        float[] data = SearchTestData.Gaussian(100, dim, seed: 3);
        var codes = new CodePanels(dim);
        for (int r = 0; r < 100; r++) codes.Add(data.AsSpan(r * dim, dim));
        codes.RemoveAt(7);      // row 99 moves into slot 7
        codes.RemoveAt(98);     // the last slot: nothing moves
        Assert.Equal(98, codes.Count);
        float[] query = data[(99 * dim)..(100 * dim)];
        var found = ExactSearch.Search(codes, query, 1, 1, DistanceMetric.Euclidean)[0];
        Assert.Equal((0f, 7), found[0]);
    }
}
