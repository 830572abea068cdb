using Latent.Applications.Search;
using Latent.Data;
using Latent.Engine;
using Latent.Imaging;
using Latent.Models;
using Latent.Storage;
using Latent.Training;
using Microsoft.Data.Sqlite;

namespace Latent.Tests.Applications.Search;

public sealed class LatentIndexTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static (string[] Ids, Tensor Items, Dictionary<string, string>[] Metadata) Items(int count, int inputs = 12, int seed = 7)
    {
        string[] ids = SearchTestData.Ids(count);
        var metadata = ids.Select((id, i) => new Dictionary<string, string> { ["label"] = (i % 3).ToString(), ["name"] = id }).ToArray();
        return (ids, SearchTestData.Rows(SearchTestData.Gaussian(count, inputs, seed), inputs), metadata);
    }

    [Theory]
    [InlineData(DistanceMetric.Euclidean)]
    [InlineData(DistanceMetric.Cosine)]
    public void SearchFindsTheNearestCodesWithTheirMetadata(DistanceMetric metric)
    {
        DenseAutoencoder model = SearchTestData.Model();
        var (ids, items, metadata) = Items(300);
        using var index = LatentIndex.Create(_folder.File("a.db"), model, new LatentIndexOptions { BatchSize = 64 });
        index.Add(ids, items, metadata);
        Assert.Equal(300, index.Count);

        float[] codes = model.Encode(items).ToArray(), query = SearchTestData.Gaussian(1, 12, seed: 8);
        var expected = SearchTestData.Naive(codes, 4, model.Encode(Tensor.FromArray(query, 1, 12)).Span, 5, metric);
        IReadOnlyList<SearchHit> hits = index.Search(query, k: 5, metric);
        Assert.Equal(expected.Select(e => ids[e.Row]), hits.Select(h => h.Id));
        Assert.Equal(expected[0].Distance, hits[0].Distance, 1e-4);
        Assert.Equal(hits[0].Id, hits[0].Metadata["name"]);
    }

    [Fact]
    public void AnIndexPersistsAndReopensWithTheSameAnswers()
    {
        DenseAutoencoder model = SearchTestData.Model();
        var (ids, items, metadata) = Items(200);
        float[] query = SearchTestData.Gaussian(1, 12, seed: 9);
        string path = _folder.File("kept.db");
        IReadOnlyList<SearchHit> before;
        using (var index = LatentIndex.Create(path, model, modelPath: "model.safetensors", source: "digits", sourceSplit: Split.Test))
        {
            index.Add(ids[..150], Select(items, 0, 150), metadata[..150]);
            index.Add(ids[150..], Select(items, 150, 200), metadata[150..]);
            Assert.True(index.Remove("item3"));
            Assert.False(index.Remove("item3"));
            before = index.Search(query, k: 8);
        }
        using (var reopened = LatentIndex.Open(path, model))
        {
            Assert.Equal(199, reopened.Count);
            Assert.False(reopened.Contains("item3"));
            Assert.Equal(Path.GetFullPath("model.safetensors"), reopened.Header.ModelPath);
            Assert.Equal(("digits", "test"), (reopened.Header.Source, reopened.Header.SourceSplit));   // what search --row reads by default
            IReadOnlyList<SearchHit> after = reopened.Search(query, k: 8);
            Assert.Equal(before.Select(h => (h.Id, h.Distance, h.Metadata["label"])), after.Select(h => (h.Id, h.Distance, h.Metadata["label"])));
            reopened.Add("late", items.Span[..12], new Dictionary<string, string> { ["label"] = "x" });
        }
        using var third = LatentIndex.Open(path, model);
        Assert.Equal(200, third.Count);
        Assert.Equal("late", third.Search(items.Span[..12], k: 2).First(h => h.Id != "item0").Id);
    }

    [Fact]
    public void ApproximateSearchAgreesWithExactOnAClusteredCollection()
    {
        DenseAutoencoder model = SearchTestData.Model(inputs: 8, code: 8);
        float[] codes = SearchTestData.Clustered(3000, 8, clusters: 30, centreSeed: 1, noiseSeed: 2);
        string[] ids = SearchTestData.Ids(3000);
        using var exact = LatentIndex.Create(_folder.File("e.db"), model, new LatentIndexOptions { Mode = SearchMode.Exact });
        using var approximate = LatentIndex.Create(_folder.File("h.db"), model, new LatentIndexOptions { Mode = SearchMode.Approximate, Ef = 64 });
        exact.AddCodes(ids, SearchTestData.Rows(codes, 8));
        approximate.AddCodes(ids[..2000], SearchTestData.Rows(codes[..(2000 * 8)], 8));
        approximate.SearchCode(codes.AsSpan(0, 8), 1);   // builds the graph, which the next batch then extends
        approximate.AddCodes(ids[2000..], SearchTestData.Rows(codes[(2000 * 8)..], 8));
        Assert.True(approximate.UsesGraph);
        Tensor queries = SearchTestData.Rows(SearchTestData.Clustered(100, 8, clusters: 30, centreSeed: 1, noiseSeed: 3), 8);
        var truth = exact.SearchCodes(queries, 10);
        var found = approximate.SearchCodes(queries, 10);
        int agree = truth.Zip(found).Sum(p => p.First.Select(h => h.Id).Intersect(p.Second.Select(h => h.Id)).Count());
        Assert.True(agree >= 950, $"recall@10 {agree / 1000.0:F3}");
    }

    [Fact]
    public void TheFingerprintSurvivesSavingAndChangesWithTheWeights()
    {
        DenseAutoencoder model = SearchTestData.Model();
        string path = _folder.File("m.safetensors");
        model.Fit(SearchTestData.Rows(SearchTestData.Gaussian(64, 12, seed: 1), 12), new FitOptions { Epochs = 1, BatchSize = 32 });
        model.Save(path);
        string fingerprint = ModelFingerprint.Of(model);
        Assert.Equal(64, fingerprint.Length);
        Assert.Equal(fingerprint, ModelFingerprint.Of(DenseAutoencoder.Open(path)));
        Assert.NotEqual(fingerprint, ModelFingerprint.Of(SearchTestData.Model()));
        model.Fit(SearchTestData.Rows(SearchTestData.Gaussian(64, 12, seed: 2), 12), new FitOptions { Epochs = 1, BatchSize = 32 });
        Assert.NotEqual(fingerprint, ModelFingerprint.Of(model));
    }

    [Fact]
    public void AnIndexMovedTogetherWithItsModelStillFindsIt()
    {
        string before = Directory.CreateDirectory(_folder.File("before")).FullName, after = _folder.File("after");
        using (LatentIndex.Create(Path.Combine(before, "i.db"), SearchTestData.Model(), modelPath: Path.Combine(before, "models", "m.safetensors"))) { }
        Directory.Move(before, after);
        Assert.Equal(Path.Combine(after, "models", "m.safetensors"), LatentIndex.ReadHeader(Path.Combine(after, "i.db")).ModelPath);
    }

    [Fact]
    public void AnIndexThatRecordedAnAbsoluteModelPathStillGivesIt()
    {
        string path = _folder.File("old.db"), model = Path.Combine(Path.GetTempPath(), "elsewhere", "m.safetensors");
        using (LatentIndex.Create(path, SearchTestData.Model(), modelPath: "m.safetensors")) { }
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using SqliteCommand update = connection.CreateCommand();
            update.CommandText = "UPDATE info SET value = $model WHERE key = 'model_path'";   // as indexes written before paths were relative
            update.Parameters.AddWithValue("$model", model);
            Assert.Equal(1, update.ExecuteNonQuery());
        }
        Assert.Equal(model, LatentIndex.ReadHeader(path).ModelPath);
    }

    [Fact]
    public void AnotherModelsIndexIsRefused()
    {
        string path = _folder.File("a.db");
        using (var index = LatentIndex.Create(path, SearchTestData.Model(seed: 1))) index.Add("one", new float[12]);
        var e = Assert.Throws<InvalidDataException>(() => LatentIndex.Open(path, SearchTestData.Model(seed: 2)));
        Assert.Contains("another model", e.Message);
        e = Assert.Throws<InvalidDataException>(() => LatentIndex.Open(path, SearchTestData.Model(code: 5)));
        Assert.Contains("another model", e.Message);
        Assert.Throws<IOException>(() => LatentIndex.Create(path, SearchTestData.Model(seed: 1)));
    }

    [Fact]
    public void DimensionMismatchesAndBadItemsAreRefusedClearly()
    {
        using var index = LatentIndex.Create(_folder.File("a.db"), SearchTestData.Model());
        index.Add("one", new float[12]);
        Assert.Contains("12 values", Assert.Throws<ArgumentException>(() => index.Search(new float[10], 3)).Message);
        Assert.Contains("4 values", Assert.Throws<ArgumentException>(() => index.SearchCode(new float[5], 3)).Message);
        Assert.Contains("4 values", Assert.Throws<ArgumentException>(() => index.AddCodes(["x"], Tensor.Zeros(1, 3))).Message);
        Assert.Contains("'one'", Assert.Throws<ArgumentException>(() => index.Add(["two", "one"], Tensor.Zeros(2, 12))).Message);
        Assert.Contains("twice", Assert.Throws<ArgumentException>(() => index.Add(["a", "a"], Tensor.Zeros(2, 12))).Message);
        var nan = new float[12];
        nan[4] = float.NaN;
        Assert.Contains("finite", Assert.Throws<ArgumentException>(() => index.Add("nan", nan)).Message);
        Assert.Equal(1, index.Count);
    }

    [Fact]
    public void ACorruptDatabaseGivesAClearError()
    {
        string garbage = _folder.File("garbage.db");
        File.WriteAllBytes(garbage, [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 7))]);
        Assert.Contains("not a Latent index", Assert.Throws<InvalidDataException>(() => LatentIndex.Open(garbage, SearchTestData.Model())).Message);

        string other = _folder.File("other.db");
        using (var connection = new SqliteConnection($"Data Source={other};Pooling=False"))
        {
            connection.Open();
            using var create = connection.CreateCommand();
            create.CommandText = "CREATE TABLE songs (title TEXT)";
            create.ExecuteNonQuery();
        }
        Assert.Contains("not a Latent index", Assert.Throws<InvalidDataException>(() => LatentIndex.Open(other, SearchTestData.Model())).Message);

        string damaged = _folder.File("damaged.db");
        using (var index = LatentIndex.Create(damaged, SearchTestData.Model())) index.Add(["a", "b"], Tensor.Zeros(2, 12));
        using (var connection = new SqliteConnection($"Data Source={damaged};Pooling=False"))
        {
            connection.Open();
            using var update = connection.CreateCommand();
            update.CommandText = "UPDATE items SET code = x'0102' WHERE id = 'b'";
            update.ExecuteNonQuery();
        }
        Assert.Contains("damaged", Assert.Throws<InvalidDataException>(() => LatentIndex.Open(damaged, SearchTestData.Model())).Message);

        Assert.Throws<FileNotFoundException>(() => LatentIndex.Open(_folder.File("none.db"), SearchTestData.Model()));
    }

    [Fact]
    public void AConvolutionalModelIndexesImagesAndFindsThem()
    {
        Dataset digits = Datasets.Load("digits", Split.Test);
        string folder = _folder.File("images");
        for (int i = 0; i < 30; i++)
        {
            string sub = Path.Combine(folder, $"digit{digits.Labels![i]}");
            Directory.CreateDirectory(sub);
            PngWriter.Write(Path.Combine(sub, $"{i}.png"), digits.Features.Span.Slice(i * 64, 64), 8, 8, PngColor.Gray);
        }
        var conv = new ConvAutoencoder(new ConvAutoencoderConfig { Channels = 1, Height = 8, Width = 8, Filters = [8, 4], Seed = 1 });
        conv.Fit(digits.Features, new FitOptions { Epochs = 1, BatchSize = 64 });

        IndexItems items = IndexItems.Load(folder, model: conv);
        Assert.Equal(30, items.Count);
        Assert.Equal(items.Metadata.Select(m => m!["label"]).Distinct().Count(), items.Labels!.Distinct().Count());
        string path = _folder.File("images.db"), wanted = $"digit{digits.Labels![7]}/7.png";
        using (var index = LatentIndex.Build(path, conv, items))
        {
            SearchHit hit = index.Search(IndexItems.ReadQuery(Path.Combine(folder, wanted), conv), k: 1)[0];
            Assert.Equal(wanted, hit.Id);
            Assert.Equal(0, hit.Distance, 1e-4);
        }
        Assert.Contains("another model", Assert.Throws<InvalidDataException>(() => LatentIndex.Open(path, SearchTestData.Model(inputs: 64))).Message);
        using var reopened = LatentIndex.Open(path, ConvAutoencoder.Open(Save(conv)));
        Assert.Equal(30, reopened.Count);
    }

    [Fact]
    public void ADenseIndexRefusesAConvolutionalModel()
    {
        string path = _folder.File("dense.db");
        using (var index = LatentIndex.Create(path, SearchTestData.Model(inputs: 64, code: 4))) index.Add("one", new float[64]);
        var conv = new ConvAutoencoder(new ConvAutoencoderConfig { Channels = 1, Height = 8, Width = 8, Filters = [4], CodeSize = 4 });
        Assert.Contains("another model", Assert.Throws<InvalidDataException>(() => LatentIndex.Open(path, conv)).Message);
    }

    [Fact]
    public void BuildLeavesNoFileWhenItFails()
    {
        string path = _folder.File("failed.db");
        var items = new IndexItems("test", "test", ["a", "a"], Tensor.Zeros(2, 12), [null, null], null, new DataDescription());
        Assert.Contains("twice", Assert.Throws<ArgumentException>(() => LatentIndex.Build(path, SearchTestData.Model(), items)).Message);
        Assert.False(File.Exists(path));
        Assert.Contains("12 values", Assert.Throws<InvalidDataException>(() => LatentIndex.Build(path, SearchTestData.Model(inputs: 12), items with { Rows = Tensor.Zeros(2, 5) })).Message);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void AnInterruptedAddAddsNothing()
    {
        var (ids, items, metadata) = Items(100);
        string path = _folder.File("add.db");
        using var cancel = new CancellationTokenSource();
        var stopAfterTheFirstBatch = new InlineProgress<TrainingProgress>(_ => cancel.Cancel());
        using (var index = LatentIndex.Create(path, SearchTestData.Model(), new LatentIndexOptions { BatchSize = 16 }))
        {
            index.Add(ids[..10], Select(items, 0, 10), metadata[..10]);
            Assert.Throws<OperationCanceledException>(() => index.Add(ids[10..], Select(items, 10, 100), metadata[10..], stopAfterTheFirstBatch, cancel.Token));
            Assert.Equal(10, index.Count);
            Assert.False(index.Contains(ids[10]));
            index.Add(ids[10..], Select(items, 10, 100), metadata[10..]);   // the interrupted call stored none of these ids
            Assert.Equal(100, index.Count);
        }
        using var reopened = LatentIndex.Open(path, SearchTestData.Model());
        Assert.Equal(100, reopened.Count);
    }

    [Fact]
    public void AnInterruptedBuildLeavesNoIndex()
    {
        var (ids, items, metadata) = Items(100);
        var indexItems = new IndexItems("test", "test", ids, items, metadata, null, new DataDescription());
        string path = _folder.File("interrupted.db");
        using var cancel = new CancellationTokenSource();
        Assert.Throws<OperationCanceledException>(() => LatentIndex.Build(path, SearchTestData.Model(), indexItems, new LatentIndexOptions { BatchSize = 16 },
            progress: new InlineProgress<TrainingProgress>(_ => cancel.Cancel()), cancel: cancel.Token));
        Assert.False(File.Exists(path));
    }

    private string Save(IAutoencoder model)
    {
        string path = _folder.File($"{Guid.NewGuid():N}.safetensors");
        model.Save(path);
        return path;
    }

    private static Tensor Select(Tensor rows, int start, int end) => Ops.SelectRows(rows, [.. Enumerable.Range(start, end - start)]);
}
