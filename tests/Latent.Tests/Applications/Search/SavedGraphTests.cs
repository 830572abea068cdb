using Latent.Applications.Search;
using Latent.Engine;
using Latent.Storage;

namespace Latent.Tests.Applications.Search;

/// <summary>The search graph an SQLite index keeps beside its file (<c>{index}.graph</c>): reopened, kept current, and never trusted when damaged or out of date.</summary>
public sealed class SavedGraphTests : IDisposable
{
    private const int Dim = 8;
    private readonly TempFolder _folder = new();
    private readonly LatentIndexOptions _graph = new() { Mode = SearchMode.Approximate, Links = 8, EfConstruction = 64 };
    private readonly float[] _codes = SearchTestData.Clustered(1500, Dim, clusters: 20, centreSeed: 1, noiseSeed: 2);
    private readonly Tensor _queries = SearchTestData.Rows(SearchTestData.Clustered(40, Dim, clusters: 20, centreSeed: 1, noiseSeed: 3), Dim);

    public void Dispose() => _folder.Dispose();

    private static Latent.Models.DenseAutoencoder Model() => SearchTestData.Model(inputs: Dim, code: Dim);

    /// <summary>An index of the first 1200 codes with both graphs built (and so saved), and the answers of its graphs before saving.</summary>
    private string Saved(out List<(string, float, string)[]> euclidean, out List<(string, float, string)[]> cosine)
    {
        string path = _folder.File("a.db");
        using var index = LatentIndex.Create(path, Model(), _graph);
        index.AddCodes(SearchTestData.Ids(1200), SearchTestData.Rows(_codes[..(1200 * Dim)], Dim), Metadata(0, 1200));
        euclidean = Answers(index, DistanceMetric.Euclidean);
        cosine = Answers(index, DistanceMetric.Cosine);
        return path;
    }

    private string Saved() => Saved(out _, out _);

    /// <summary>How many of the exact scan's ten nearest <paramref name="found"/> holds, as a fraction.</summary>
    private double Recall(string path, List<(string, float, string)[]> found)
    {
        using var exact = LatentIndex.Open(path, Model(), new LatentIndexOptions { Mode = SearchMode.Exact });
        var truth = exact.SearchCodes(_queries, 10);
        return truth.Zip(found).Sum(p => p.First.Select(h => h.Id).Intersect(p.Second.Select(h => h.Item1)).Count()) / (10.0 * truth.Length);
    }

    private static List<IReadOnlyDictionary<string, string>?> Metadata(int first, int end) =>
        [.. Enumerable.Range(first, end - first).Select(i => (IReadOnlyDictionary<string, string>?)new Dictionary<string, string> { ["row"] = $"{i}" })];

    private List<(string, float, string)[]> Answers(LatentIndex index, DistanceMetric metric) =>
        [.. index.SearchCodes(_queries, 10, metric).Select(hits => hits.Select(h => (h.Id, h.Distance, h.Metadata["row"])).ToArray())];

    [Fact]
    public void AReopenedIndexSearchesItsSavedGraphsWithTheSameAnswers()
    {
        string path = Saved(out var euclidean, out var cosine);
        Assert.True(File.Exists(path + ".graph"));
        using var index = LatentIndex.Open(path, Model(), _graph);
        Assert.True(index.HasGraph(DistanceMetric.Euclidean) && index.HasGraph(DistanceMetric.Cosine));   // loaded, not built
        Assert.False(index.BuildsGraphFor(DistanceMetric.Cosine));
        Assert.Null(index.GraphNotice);
        Assert.Equal(1200, index.Count);
        Assert.Equal(euclidean, Answers(index, DistanceMetric.Euclidean));
        Assert.Equal(cosine, Answers(index, DistanceMetric.Cosine));
    }

    [Fact]
    public void AQuantizedSearchOpensTheSideFileWithoutItsGraphsAndLeavesThemThere()
    {
        string path = Saved();
        using (var quantized = LatentIndex.Open(path, Model(), new LatentIndexOptions { Mode = SearchMode.Quantized }))
        {
            Assert.Null(quantized.GraphNotice);
            Assert.False(quantized.HasGraph(DistanceMetric.Euclidean));
            Assert.Equal(1.0, Recall(path, Answers(quantized, DistanceMetric.Euclidean)));
        }
        using var reopened = LatentIndex.Open(path, Model(), _graph);
        Assert.True(reopened.HasGraph(DistanceMetric.Euclidean));
    }

    [Fact]
    public void AddingAndRemovingAfterReopeningKeepTheSavedGraphCurrent()
    {
        string path = Saved();
        string[] ids = SearchTestData.Ids(1500);
        List<(string, float, string)[]> before;
        using (var index = LatentIndex.Open(path, Model(), _graph))
        {
            index.AddCodes(ids[1200..], SearchTestData.Rows(_codes[(1200 * Dim)..], Dim), Metadata(1200, 1500));
            for (int i = 0; i < 1500; i += 10) Assert.True(index.Remove(ids[i]));
            before = Answers(index, DistanceMetric.Euclidean);
        }
        using var reopened = LatentIndex.Open(path, Model(), _graph);
        Assert.Null(reopened.GraphNotice);
        Assert.True(reopened.HasGraph(DistanceMetric.Euclidean));
        Assert.Equal(1350, reopened.Count);
        Assert.False(reopened.Contains(ids[10]));
        Assert.True(reopened.Contains(ids[1499]));
        List<(string, float, string)[]> after = Answers(reopened, DistanceMetric.Euclidean);
        Assert.Equal(before, after);

        // Against the exact scan of what is stored: removed items never come back, added ones are found.
        Assert.All(after.SelectMany(hits => hits), hit => Assert.NotEqual(0, int.Parse(hit.Item3) % 10));
        double recall = Recall(path, after);
        Assert.True(recall >= 0.95, $"recall@10 {recall:F3}");
        Assert.Contains(after, hits => hits.Any(h => int.Parse(h.Item3) >= 1200));
    }

    [Theory]
    [InlineData("flip")]
    [InlineData("truncate")]
    [InlineData("empty")]
    public void ADamagedGraphFileIsSaidAndBuiltAgainNeverTrusted(string damage)
    {
        string path = Saved();
        byte[] bytes = File.ReadAllBytes(path + ".graph");
        if (damage == "flip") bytes[bytes.Length / 2] ^= 0x40;
        File.WriteAllBytes(path + ".graph", damage switch { "truncate" => bytes[..(bytes.Length * 2 / 3)], "empty" => [], _ => bytes });

        using (var index = LatentIndex.Open(path, Model(), _graph))
        {
            Assert.Contains("damaged", index.GraphNotice);
            Assert.Contains(path + ".graph", index.GraphNotice);
            Assert.False(index.HasGraph(DistanceMetric.Euclidean));
            Assert.True(index.BuildsGraphFor(DistanceMetric.Euclidean));
            Assert.Equal(1200, index.Count);
            double recall = Recall(path, Answers(index, DistanceMetric.Euclidean));   // built again
            Assert.True(recall >= 0.95, $"recall@10 {recall:F3}");
        }
        using var repaired = LatentIndex.Open(path, Model(), _graph);
        Assert.Null(repaired.GraphNotice);
        Assert.True(repaired.HasGraph(DistanceMetric.Euclidean));
    }

    [Fact]
    public void AGraphFileOlderThanTheIndexIsNotUsed()
    {
        string path = Saved();
        string kept = _folder.File("old.graph");
        File.Copy(path + ".graph", kept);
        using (var index = LatentIndex.Open(path, Model(), _graph)) index.AddCodes(["late"], SearchTestData.Rows(_codes[..Dim], Dim), Metadata(0, 1));
        File.Copy(kept, path + ".graph", overwrite: true);   // as if the add had not rewritten it

        using var reopened = LatentIndex.Open(path, Model(), _graph);
        Assert.Contains("out of date", reopened.GraphNotice);
        Assert.Equal(1201, reopened.Count);
        Assert.Contains(reopened.SearchCode(_codes.AsSpan(0, Dim), 2), h => h.Id == "late");
    }
}
