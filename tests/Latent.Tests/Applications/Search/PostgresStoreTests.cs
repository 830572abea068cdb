using Latent.Applications.Search;
using Latent.Engine;
using Latent.Models;
using Latent.Storage;
using Latent.Training;
using Latent.TestData;
using Npgsql;

namespace Latent.Tests.Applications.Search;

/// <summary>The PostgreSQL store against the SQLite one, on a real server (see <see cref="PostgresFactAttribute"/>).</summary>
public sealed class PostgresStoreTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly string _name = "test_" + Guid.NewGuid().ToString("N")[..12];

    public void Dispose()
    {
        _folder.Dispose();
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(PostgresFactAttribute.Variable))) return;
        using var connection = new NpgsqlConnection(PostgresFactAttribute.ConnectionString);
        connection.Open();
        using var drop = new NpgsqlCommand($"DROP TABLE IF EXISTS {_name}_items, {_name}_info", connection);
        drop.ExecuteNonQuery();
    }

    [PostgresFact]
    public void PostgresReturnsTheSameNeighboursAsSqlite()
    {
        const int dim = 6, rows = 2000;
        var model = SearchTestData.Model(inputs: 10, code: dim);
        float[] codes = SearchTestData.Clustered(rows, dim, clusters: 20, centreSeed: 11, noiseSeed: 12);
        string[] ids = SearchTestData.Ids(rows);
        var metadata = ids.Select(id => (IReadOnlyDictionary<string, string>?)new Dictionary<string, string> { ["name"] = id, ["note"] = "é \"quoted\"" }).ToList();
        var queries = SearchTestData.Rows(SearchTestData.Clustered(20, dim, clusters: 20, centreSeed: 11, noiseSeed: 13), dim);

        using var sqlite = LatentIndex.Create(_folder.File("a.db"), model);
        sqlite.AddCodes(ids, SearchTestData.Rows(codes, dim), metadata);
        using (var created = LatentIndex.Create(new PostgresLatentStore(PostgresFactAttribute.ConnectionString, _name), model, new LatentIndexOptions { BatchSize = 700 }))
        {
            created.AddCodes(ids, SearchTestData.Rows(codes, dim), metadata);
            Assert.True(created.Remove("item5"));
            Assert.True(sqlite.Remove("item5"));
        }
        var store = new PostgresLatentStore(PostgresFactAttribute.ConnectionString, _name);
        using var postgres = LatentIndex.Open(store, model);
        Assert.Equal(rows - 1, postgres.Count);
        Assert.NotEqual("none", store.PointType);

        foreach (DistanceMetric metric in Enum.GetValues<DistanceMetric>())
        {
            var expected = sqlite.SearchCodes(queries, 10, metric);
            var found = postgres.SearchCodes(queries, 10, metric);
            for (int q = 0; q < expected.Length; q++)
                Assert.Equal(expected[q].Select(h => (h.Id, h.Distance, h.Metadata["note"])), found[q].Select(h => (h.Id, h.Distance, h.Metadata["note"])));
        }
        // pgvector's HNSW search is approximate: at its widest (ef 1,000 of 1,999 codes) it must agree with the exact
        // search; at the default breadth it may miss a neighbour (tight clusters can even strand a greedy walk in the
        // wrong one), so there only most of them are asked for.
        var inMemory = sqlite.SearchCodes(queries, 10);
        int recalled = 0;
        for (int q = 0; q < inMemory.Length; q++)
        {
            var widest = store.Nearest(queries.Span.Slice(q * dim, dim), 10, ef: 1000);
            Assert.Equal(inMemory[q].Select(h => h.Id), widest.Select(h => h.Id));
            Assert.Equal(inMemory[q][^1].Distance, widest[^1].Distance, 1e-4);
            recalled += store.Nearest(queries.Span.Slice(q * dim, dim), 10).Select(h => h.Id).Intersect(inMemory[q].Select(h => h.Id)).Count();
        }
        Assert.True(recalled >= 0.8 * 10 * inMemory.Length, $"The default search found {recalled} of the {10 * inMemory.Length} true neighbours.");
    }

    [PostgresFact]
    public void PostgresRefusesAnotherModelAndDuplicateIds()
    {
        using (var index = LatentIndex.Create(new PostgresLatentStore(PostgresFactAttribute.ConnectionString, _name), SearchTestData.Model(seed: 1)))
        {
            index.Add("one", new float[12]);
            Assert.Contains("'one'", Assert.Throws<ArgumentException>(() => index.Add("one", new float[12])).Message);
        }
        var e = Assert.Throws<InvalidDataException>(() => LatentIndex.Open(new PostgresLatentStore(PostgresFactAttribute.ConnectionString, _name), SearchTestData.Model(seed: 2)));
        Assert.Contains("another model", e.Message);
    }

    [PostgresFact]
    public void AnInterruptedBuildOrAddOnPostgresKeepsNothing()
    {
        string[] ids = SearchTestData.Ids(100);
        var rows = SearchTestData.Rows(SearchTestData.Gaussian(100, 12, seed: 3), 12);
        var items = new IndexItems("test", "test", ids, rows, [.. ids.Select(_ => (IReadOnlyDictionary<string, string>?)null)], null, new DataDescription());
        var options = new LatentIndexOptions { BatchSize = 16 };
        using (var cancel = new CancellationTokenSource())
            Assert.Throws<OperationCanceledException>(() => LatentIndex.Build(new PostgresLatentStore(PostgresFactAttribute.ConnectionString, _name), SearchTestData.Model(),
                items, options, progress: new InlineProgress<TrainingProgress>(_ => cancel.Cancel()), cancel: cancel.Token));
        using (var store = new PostgresLatentStore(PostgresFactAttribute.ConnectionString, _name)) Assert.Null(store.ReadHeader());

        using (var index = LatentIndex.Build(new PostgresLatentStore(PostgresFactAttribute.ConnectionString, _name), SearchTestData.Model(), items with
               {
                   Ids = ids[..10], Rows = Ops.SelectRows(rows, [.. Enumerable.Range(0, 10)]), Metadata = items.Metadata[..10],
               }, options))
        using (var cancel = new CancellationTokenSource())
            Assert.Throws<OperationCanceledException>(() => index.Add(ids[10..], Ops.SelectRows(rows, [.. Enumerable.Range(10, 90)]), null,
                new InlineProgress<TrainingProgress>(_ => cancel.Cancel()), cancel.Token));
        using var reopened = LatentIndex.Open(new PostgresLatentStore(PostgresFactAttribute.ConnectionString, _name), SearchTestData.Model());
        Assert.Equal(10, reopened.Count);
    }

    [PostgresFact]
    public void PgvectorAndCubeSearchOnTheServerAndAgreeWithTheExactScan()
    {
        const int dim = 8, rows = 3000;
        using var database = new PostgresDatabase();
        var model = SearchTestData.Model(inputs: 10, code: dim);
        float[] codes = SearchTestData.Clustered(rows, dim, clusters: 30, centreSeed: 21, noiseSeed: 22);
        string[] ids = SearchTestData.Ids(rows);
        Tensor queries = SearchTestData.Rows(SearchTestData.Clustered(30, dim, clusters: 30, centreSeed: 21, noiseSeed: 23), dim);
        using var exact = LatentIndex.Create(new MemoryLatentStore(), model, new LatentIndexOptions { Mode = SearchMode.Exact });
        exact.AddCodes(ids, SearchTestData.Rows(codes, dim));

        foreach (string point in new[] { "vector", "cube" })
        {
            using (var created = LatentIndex.Create(new PostgresLatentStore(database.ConnectionString, point, point), model)) created.AddCodes(ids, SearchTestData.Rows(codes, dim));
            var store = new PostgresLatentStore(database.ConnectionString, point);
            using var served = LatentIndex.Open(store, model, new LatentIndexOptions { Mode = SearchMode.Approximate, Ef = 400 });
            Assert.Equal(point, store.PointType);
            Assert.Equal(rows, served.Count);
            Assert.Equal(0, served.MemoryBytes);   // the server searches: the client loaded nothing
            Assert.False(served.BuildsGraphFor(DistanceMetric.Euclidean));
            Assert.Equal(point == "cube", served.BuildsGraphFor(DistanceMetric.Cosine));
            foreach (DistanceMetric metric in Enum.GetValues<DistanceMetric>())
            {
                var truth = exact.SearchCodes(queries, 10, metric);
                var found = served.SearchCodes(queries, 10, metric);
                int agree = 0;
                for (int q = 0; q < truth.Length; q++)
                {
                    var expected = truth[q].ToDictionary(h => h.Id, h => h.Distance);
                    foreach (SearchHit hit in found[q])
                        if (expected.TryGetValue(hit.Id, out float distance))
                        {
                            agree++;
                            Assert.Equal(distance, hit.Distance, 1e-4);
                        }
                }
                // cube's GiST search is exact; pgvector's HNSW (and, for cube's cosine, the in-memory graph) may miss a rare neighbour.
                bool exactOnServer = point == "cube" && metric == DistanceMetric.Euclidean;
                Assert.True(exactOnServer ? agree == 300 : agree >= 285, $"{point}, {metric}: {agree} of 300 neighbours agree");
            }
            Assert.Equal(point == "cube", served.MemoryBytes > 0);   // cube has no cosine: that search ran in memory
        }
    }
}
