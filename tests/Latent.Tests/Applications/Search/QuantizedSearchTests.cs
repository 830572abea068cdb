using System.Runtime.Intrinsics.X86;
using Latent.Applications.Search;
using Latent.Engine;
using Latent.Storage;

namespace Latent.Tests.Applications.Search;

public class QuantizedSearchTests
{
    private static CodePanels Panels(float[] data, int dim)
    {
        var codes = new CodePanels(dim);
        for (int r = 0; r < data.Length / dim; r++) codes.Add(data.AsSpan(r * dim, dim));
        return codes;
    }

    private static float[] Prepared(float[] queries, int dim, DistanceMetric metric)
    {
        float[] prepared = (float[])queries.Clone();
        if (metric == DistanceMetric.Cosine)
            for (int q = 0; q < prepared.Length / dim; q++) HnswGraph.Normalise(prepared.AsSpan(q * dim, dim));
        return prepared;
    }

    [Theory]
    [InlineData(DistanceMetric.Euclidean, 32)]
    [InlineData(DistanceMetric.Cosine, 32)]
    [InlineData(DistanceMetric.Euclidean, 13)]   // a last group of one value padded with zeros
    [InlineData(DistanceMetric.Cosine, 3)]
    public void WithEnoughCandidatesFindsTheExactNeighboursAndTheirExactDistances(DistanceMetric metric, int dim)
    {
        // 5,003 rows: a partly empty last panel; 37 queries: a partly empty last block of four.
        const int rows = 5003, queries = 37, k = 10;
        float[] data = SearchTestData.Gaussian(rows, dim, seed: 1), query = SearchTestData.Gaussian(queries, dim, seed: 2);
        CodePanels codes = Panels(data, dim);
        float[] prepared = Prepared(query, dim, metric);

        var found = QuantizedSearch.Search(QuantizedCodes.From(codes), codes, prepared, queries, k, candidates: 100, metric);
        for (int q = 0; q < queries; q++)
        {
            // The true neighbours up to ties: each rank's distance is the naive scan's (in 3 values, cosine ties abound).
            var expected = SearchTestData.Naive(data, dim, query.AsSpan(q * dim, dim), k, metric);
            for (int i = 0; i < k; i++)
            {
                double distance = metric == DistanceMetric.Euclidean ? Math.Sqrt(found[q][i].Score) : 1 + found[q][i].Score;
                Assert.Equal(expected[i].Distance, distance, 1e-5);
            }
        }
    }

    [Fact]
    public void TheRoundingAloneStillRanksMostNeighboursRight()
    {
        // Without re-ranking room (candidates = k) the result is the 8-bit scan's own ranking: most, not all, true neighbours.
        const int dim = 32, rows = 20_000, queries = 40, k = 10;
        float[] data = SearchTestData.Gaussian(rows, dim, seed: 4), query = SearchTestData.Gaussian(queries, dim, seed: 5);
        CodePanels codes = Panels(data, dim);
        var found = QuantizedSearch.Search(QuantizedCodes.From(codes), codes, query, queries, k, candidates: k, DistanceMetric.Euclidean);
        var exact = ExactSearch.Search(codes, query, queries, k, DistanceMetric.Euclidean);
        double recall = Enumerable.Range(0, queries).Average(q => found[q].Select(f => f.Slot).Intersect(exact[q].Select(e => e.Slot)).Count() / (double)k);
        Assert.InRange(recall, 0.8, 0.999);
    }

    [SkippableTheory]
    [InlineData(DistanceMetric.Euclidean)]
    [InlineData(DistanceMetric.Cosine)]
    public void TheVectorScanGivesThePortableScansScoresToTheBit(DistanceMetric metric)
    {
        Skip.IfNot(AvxVnni.IsSupported, "this machine has no AVX-VNNI, so both scans are the portable one");
        const int dim = 20, rows = 3000, k = 50;
        float[] data = SearchTestData.Gaussian(rows, dim, seed: 6), query = Prepared(SearchTestData.Gaussian(4, dim, seed: 7), dim, metric);
        CodePanels codes = Panels(data, dim);
        codes.Vacate(11);
        var quantized = QuantizedCodes.From(codes);
        var queries = new QuantizedQueries(quantized, query, 4, metric);
        ReadOnlySpan<float> norms = metric == DistanceMetric.Euclidean ? quantized.ScaledSquaredNorms : codes.InverseNorms;
        TopK[] vector = [.. Enumerable.Range(0, 4).Select(_ => new TopK(k))], portable = [.. Enumerable.Range(0, 4).Select(_ => new TopK(k))];

        QuantizedScan.Scan(quantized, queries, 0, norms, 0, quantized.Panels, vector);
        QuantizedScan.ScanPortable(quantized, queries, 0, norms, 0, quantized.Panels, portable);

        for (int q = 0; q < 4; q++)
        {
            Assert.Equal(portable[q].Sorted(), vector[q].Sorted());
            Assert.DoesNotContain(vector[q].Sorted(), h => h.Slot == 11);
        }
    }

    [Fact]
    public void EachValueIsHeldWithinHalfAStepOfItsRange()
    {
        const int dim = 6;
        float[] data = SearchTestData.Gaussian(500, dim, seed: 8);
        for (int r = 0; r < 500; r++) data[r * dim + 2] = 3f;   // a constant value: its step must not be zero
        var quantized = QuantizedCodes.From(Panels(data, dim));
        for (int r = 0; r < 500; r++)
            for (int j = 0; j < dim; j++)
            {
                long at = (long)(r / CodePanels.Width) * quantized.Groups * QuantizedCodes.PanelGroupBytes
                    + j / QuantizedCodes.GroupValues * QuantizedCodes.PanelGroupBytes + r % CodePanels.Width * QuantizedCodes.GroupValues + j % QuantizedCodes.GroupValues;
                float held = quantized.Lows[j] + quantized.Steps[j] * quantized.Values[at];
                Assert.True(Math.Abs(held - data[r * dim + j]) <= quantized.Steps[j] * 0.5001f, $"row {r} value {j}: {held} for {data[r * dim + j]}");
            }
    }

    [Fact]
    public void AnIndexInQuantizedModeAnswersLikeTheExactOneAndForgetsRemovedItems()
    {
        const int dim = 8;
        float[] data = SearchTestData.Gaussian(2000, dim, seed: 9);
        using var exact = LatentIndex.Create(new MemoryLatentStore(), SearchTestData.Model(code: dim), new LatentIndexOptions { Mode = SearchMode.Exact });
        using var quantized = LatentIndex.Create(new MemoryLatentStore(), SearchTestData.Model(code: dim), new LatentIndexOptions { Mode = SearchMode.Quantized });
        foreach (LatentIndex index in new[] { exact, quantized })
        {
            using Tensor rows = SearchTestData.Rows(data, dim);
            index.AddCodes(SearchTestData.Ids(2000), rows);
        }
        float[] query = data[(5 * dim)..(6 * dim)];
        Assert.Equal(exact.SearchCode(query, 10).Select(h => h.Id), quantized.SearchCode(query, 10).Select(h => h.Id));

        Assert.True(quantized.Remove("item5"));   // the quantised codes are made again after a change
        Assert.DoesNotContain(quantized.SearchCode(query, 10), h => h.Id == "item5");
        Assert.Throws<ArgumentException>(() => new LatentIndexOptions { Candidates = 0 }.Validate());
    }

    [Fact]
    public void AReopenedQuantizedIndexLeavesItsFullCodesInTheSideFileAndStillAddsAndRemoves()
    {
        const int dim = 32, rows = 3000;
        float[] data = SearchTestData.Gaussian(rows + 100, dim, seed: 4);
        float[] queries = SearchTestData.Gaussian(20, dim, seed: 5);
        var options = new LatentIndexOptions { Mode = SearchMode.Quantized };
        using var folder = new TempFolder();
        string path = folder.File("q.db");
        string[] Answers(LatentIndex index) =>
            [.. index.SearchCodes(SearchTestData.Rows(queries, dim), 10).SelectMany(hits => hits.Select(h => $"{h.Id}:{h.Distance:R}"))];

        string[] before;
        long inMemory;
        using (var index = LatentIndex.Create(path, SearchTestData.Model(code: dim), options))
        {
            index.AddCodes(SearchTestData.Ids(rows), SearchTestData.Rows(data[..(rows * dim)], dim));
            before = Answers(index);
            inMemory = index.MemoryBytes;
        }
        Assert.True(File.Exists(path + ".graph"));   // written when the index was closed

        using (var reopened = LatentIndex.Open(path, SearchTestData.Model(code: dim), options))
        {
            Assert.Null(reopened.GraphNotice);
            Assert.Equal(before, Answers(reopened));   // re-ranked on the full codes, read from the file
            // A byte per value and one norm per code: at 32 values, over 3.5 times less than the codes as floats.
            Assert.True(reopened.MemoryBytes * 3.5 < rows * dim * sizeof(float), $"{reopened.MemoryBytes} bytes once reopened, {inMemory} before");

            Assert.True(reopened.Remove("item0"));
            reopened.AddCodes(["late"], SearchTestData.Rows(queries[..dim], dim));
            Assert.Equal("late", reopened.SearchCode(queries.AsSpan(0, dim), 1)[0].Id);
        }
        using var again = LatentIndex.Open(path, SearchTestData.Model(code: dim), new LatentIndexOptions { Mode = SearchMode.Exact });
        Assert.Null(again.GraphNotice);
        Assert.Equal(rows, again.Count);
        Assert.False(again.Contains("item0"));
        Assert.Equal("late", again.SearchCode(queries.AsSpan(0, dim), 1)[0].Id);
    }
}
