using Latent.Applications.Search;
using Latent.Engine;
using Latent.Models;
using Latent.Training;
using Microsoft.Data.Sqlite;

namespace Latent.Tests.Applications.Contract;

/// <summary>
/// The index is store-backed (Create/Open, written through on every Add) rather than fitted and saved, so the contract
/// is adapted to a store: "fit" creates an index in a temporary SQLite file with a small fitted model and adds items
/// (progress per batch added), "save" copies the database (SQLite's backup, which includes the write-ahead log) together
/// with its model, as a user moves an index (the index records its model's path relative to its own file), "open" reopens
/// a copy with the model its header records, and "use" is the search results, flattened.
/// </summary>
public sealed class LatentIndexContract : ApplicationContract<LatentIndex>, IDisposable
{
    private static readonly Tensor Items = ContractData.Correlated(60, 6, seed: 1);
    private static readonly Tensor Queries = ContractData.Correlated(5, 6, seed: 2);
    private static readonly string[] Ids = [.. Enumerable.Range(0, 60).Select(i => $"{i}")];

    private readonly TempFolder _folder = new();
    private readonly List<LatentIndex> _indexes = [];

    protected override LatentIndex Fit(ulong seed, IProgress<TrainingProgress>? progress = null)
    {
        var model = new DenseAutoencoder(DenseAutoencoderConfig.For(Items) with { Hidden = [8], CodeSize = 3, Seed = seed });
        model.Fit(Items, new FitOptions { Epochs = 2, BatchSize = 16, Seed = seed });
        string name = Guid.NewGuid().ToString("N"), modelPath = _folder.File($"{name}.safetensors");
        model.Save(modelPath);
        LatentIndex index = Track(LatentIndex.Create(_folder.File($"{name}.db"), model, new LatentIndexOptions { BatchSize = 16 }, modelPath));
        index.Add(Ids, Items, progress: progress);
        return index;
    }

    /// <summary>The 5 nearest items of every query under both metrics: their ids (numbers) and distances.</summary>
    protected override float[] Use(LatentIndex app) =>
        [.. Enum.GetValues<DistanceMetric>().SelectMany(metric => app.Search(Queries, k: 5, metric))
            .SelectMany(hits => hits).SelectMany(hit => new[] { float.Parse(hit.Id, System.Globalization.CultureInfo.InvariantCulture), hit.Distance })];

    protected override IEnumerable<(Action, string)> BadInputs(LatentIndex app) =>
    [
        (() => app.Search(new float[5], 3), "6 values"),
        (() => app.Search(ContractData.WithValue(Queries, 4, float.NaN), 3), "finite"),
        (() => app.Add(["new", "new"], Tensor.Zeros(2, 6)), "twice"),
        (() => app.Add(["0"], Tensor.Zeros(1, 6)), "already holds an item with id '0'"),
        (() => app.Search(Queries, k: 0), "k must be at least 1"),
    ];

    protected override IEnumerable<object> CallerData => [Items, Queries, Ids];

    /// <summary>
    /// Nothing to save (every Add is already stored): a copy of the database stands in for the saved file, with a copy of
    /// the model beside it, where the path the index records (relative to its file) leads.
    /// </summary>
    protected override void Save(LatentIndex app, string path)
    {
        using (var source = new SqliteConnection($"Data Source={app.Location};Pooling=False"))
        using (var target = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            source.Open();
            source.BackupDatabase(target);
        }
        string model = LatentIndex.ReadHeader(app.Location).ModelPath!;
        File.Copy(model, Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, Path.GetFileName(model)));
    }

    protected override LatentIndex Open(string path)
    {
        string modelPath = LatentIndex.ReadHeader(path).ModelPath!;
        return Track(LatentIndex.Open(path, ModelFile.OpenAutoencoder(modelPath)));
    }

    private LatentIndex Track(LatentIndex index)
    {
        lock (_indexes) _indexes.Add(index);
        return index;
    }

    public void Dispose()
    {
        foreach (LatentIndex index in _indexes) index.Dispose();
        _folder.Dispose();
    }
}
