using System.Runtime.CompilerServices;
using System.Text.Json;
using Latent.Data;
using Latent.Engine;
using Latent.Models;
using Latent.Reporting;
using Latent.Storage;
using Latent.Training;

namespace Latent.Applications.Search;

/// <summary>
/// A searchable collection of items, each kept as its code under one encoder: <see cref="Add(IReadOnlyList{string}, Tensor, IReadOnlyList{IReadOnlyDictionary{string, string}?}?, IProgress{TrainingProgress}?, CancellationToken)"/>
/// encodes items and stores (id, metadata, code) in an <see cref="ILatentStore"/> (an SQLite file by default, or
/// PostgreSQL); <see cref="Search(ReadOnlySpan{float}, int, DistanceMetric)"/> encodes a query and returns the k
/// nearest stored items. The store records the encoder's <see cref="ModelFingerprint"/>, and an index refuses to
/// open with any other model, since codes of different models are not comparable. Any autoencoder can be the encoder
/// (dense, convolutional, variational); <see cref="IndexModel"/> trains one when the user has none.
/// <code>
/// using var index = LatentIndex.Create("fashion.db", model);
/// index.Add(ids, images, metadata);                              // images: [rows, 784]
/// IReadOnlyList&lt;SearchHit&gt; hits = index.Search(query, k: 5, DistanceMetric.Cosine);
/// </code>
/// Unlike the other applications, an index is not fitted and then saved: it learns nothing (its encoder is fitted
/// beforehand) and it lives in its store, which grows item by item and may be larger than memory or shared on a
/// server. So it is made by <see cref="Create(string, IAutoencoder, LatentIndexOptions?, string?, string?, Split?)"/> (or
/// <see cref="Build(string, IAutoencoder, IndexItems, LatentIndexOptions?, string?, IProgress{TrainingProgress}?, CancellationToken)"/>) and reopened by <see cref="Open(string, IAutoencoder, LatentIndexOptions?)"/> rather than
/// Fit/Save/Open, every Add is written through at once as one transaction (nothing to save), and it is <see cref="IDisposable"/>
/// because it holds the store's connection.
/// Search runs on an in-memory copy of the codes: an exact SIMD scan, or from <see cref="LatentIndexOptions.ApproximateFrom"/>
/// items on an HNSW graph, built on first use. An SQLite index keeps its graphs, with its codes and ids laid out for loading, in a
/// side file (<c>{index}.graph</c>, see <see cref="SearchFile"/>) that Add and Remove keep current, so that a new process opens a large
/// index and answers at once; a side file that is damaged or out of date (the index was changed by something that did not update it) is
/// ignored, said so in <see cref="GraphNotice"/>, and replaced when the graph is next built. An index searched in quantised mode keeps
/// a side file too: opened from it, its full codes stay in the file (mapped into memory, paged in for re-ranking) and only the 8-bit copy
/// is held. On a store that searches itself
/// (<see cref="ISearchingStore"/>: PostgreSQL with pgvector or cube), approximate searches run on the server instead, and the
/// client loads the items only for what needs them in memory (an exact search, a metric the server lacks, Contains).
/// Searches may run concurrently with each other; Add and
/// Remove must not run concurrently with any other call.
/// </summary>
public sealed class LatentIndex : IDisposable
{
    private readonly ILatentStore _store;
    private readonly IAutoencoder _encoder;
    private readonly LatentIndexOptions _options;
    private CodePanels _codes;
    private readonly List<string?> _ids = [], _metadata = [];   // by slot; null where an item was removed
    private Dictionary<string, int>? _slots;                      // id → slot, built when first needed
    private int _vacant;                                          // slots of removed items
    private readonly Dictionary<DistanceMetric, HnswGraph> _graphs = [];
    private QuantizedCodes? _quantized;                            // built on the first quantised search after a change
    private bool _sideFileCurrent;                                // the side file holds what memory holds
    private readonly object _graphLock = new();
    private string? _state;                                       // the SQLite store's state that memory reflects
    private bool _loaded;                                         // whether memory holds the items (a searching store may not need it)
    private long _serverCount;                                    // items in a searching store while memory does not hold them

    private LatentIndex(ILatentStore store, IAutoencoder encoder, LatentStoreHeader header, LatentIndexOptions options)
    {
        _store = store;
        _encoder = encoder;
        _options = options;
        Ef = options.Ef;
        Candidates = options.Candidates;
        Header = header;
        _codes = new CodePanels(header.CodeSize);
    }

    /// <summary>The stored settings: fingerprint, code size, model path, source.</summary>
    public LatentStoreHeader Header { get; }

    /// <summary>Where the index is stored.</summary>
    public string Location => _store.Location;

    /// <summary>Number of items.</summary>
    public int Count => _loaded ? _ids.Count - _vacant : (int)_serverCount;

    /// <summary>Values per code.</summary>
    public int CodeSize => _codes.Dimension;

    /// <summary>The recall/speed knob of approximate search (see <see cref="LatentIndexOptions.Ef"/>); may be changed between searches.</summary>
    public int Ef
    {
        get;
        set => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "Ef must be at least 1.");
    }

    /// <summary>The recall/speed knob of quantised search (see <see cref="LatentIndexOptions.Candidates"/>); may be changed between searches.</summary>
    public int Candidates
    {
        get;
        set => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "Candidates must be at least 1.");
    }

    /// <summary>Whether an item with this id is stored.</summary>
    public bool Contains(string id)
    {
        EnsureLoaded();
        return Slots.ContainsKey(id);
    }

    /// <summary>Memory of the in-memory codes and any graphs built, in bytes.</summary>
    public long MemoryBytes => _codes.Bytes + (_quantized?.Bytes ?? 0) + _graphs.Values.Sum(g => g.Bytes);

    /// <summary>
    /// Why the saved search graph (<see cref="SavedGraphPath"/>) was not used when the index was opened (it is damaged, or out of
    /// date), or could not be saved; null when there is nothing to say. The graph is built again when a search needs it.
    /// </summary>
    public string? GraphNotice { get; private set; }

    /// <summary>The side file that keeps an SQLite index's search graphs; null for other stores.</summary>
    public string? SavedGraphPath => _store is SqliteLatentStore ? SearchFile.PathOf(_store.Location) : null;

    /// <summary>Whether the graph for <paramref name="metric"/> is built (or was loaded from <see cref="SavedGraphPath"/>), so a search need not build it.</summary>
    public bool HasGraph(DistanceMetric metric)
    {
        lock (_graphLock) return _graphs.ContainsKey(metric);
    }

    /// <summary>Whether the next search by <paramref name="metric"/> first builds its graph (it uses one, the store's server does not search for it, and it is neither built nor saved).</summary>
    public bool BuildsGraphFor(DistanceMetric metric) => UsesGraph && !SearchesOnServer(metric) && !HasGraph(metric);

    private Dictionary<string, int> Slots
    {
        get
        {
            if (_slots is not null) return _slots;
            var slots = new Dictionary<string, int>(Count, StringComparer.Ordinal);
            for (int slot = 0; slot < _ids.Count; slot++)
                if (_ids[slot] is { } id) slots.Add(id, slot);
            return _slots = slots;
        }
    }

    // ------------------------------------------------------------------ opening

    /// <summary>
    /// Creates a new, empty index at <paramref name="location"/> (an SQLite file, or a PostgreSQL connection string).
    /// When this fails, an SQLite file it created is deleted again.
    /// </summary>
    /// <param name="sourceSplit">When <paramref name="source"/> names a data set: the split the items come from, recorded with it.</param>
    /// <exception cref="IOException">The location already holds an index.</exception>
    public static LatentIndex Create(string location, IAutoencoder encoder, LatentIndexOptions? options = null, string? modelPath = null, string? source = null,
        Split? sourceSplit = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(location);
        bool existed = Exists(location);
        try
        {
            return Create(LatentStores.Open(location, create: true), encoder, options, modelPath, source, sourceSplit);
        }
        catch
        {
            if (!existed) DeleteFile(location);
            throw;
        }
    }

    /// <summary>
    /// Creates a new index at <paramref name="location"/> holding <paramref name="items"/> (their <see cref="IndexItems.Spec"/>
    /// and <see cref="IndexItems.SourceSplit"/> recorded as the source), in one transaction: when anything fails or <paramref name="cancel"/> is triggered, nothing of
    /// the index is kept (an SQLite file it created is deleted again), and a process that dies midway leaves no index either
    /// (at most an empty SQLite file).
    /// </summary>
    /// <param name="modelPath">The encoder's file, recorded so that later commands can find it.</param>
    /// <param name="progress">Hears of every batch encoded and stored.</param>
    /// <exception cref="InvalidDataException">The items are not as wide as the encoder's inputs.</exception>
    /// <exception cref="IOException">The location already holds an index.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancel"/> was triggered.</exception>
    public static LatentIndex Build(string location, IAutoencoder encoder, IndexItems items, LatentIndexOptions? options = null, string? modelPath = null,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancel = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(location);
        bool existed = Exists(location);
        try
        {
            return Build(LatentStores.Open(location, create: true), encoder, items, options, modelPath, progress, cancel);
        }
        catch
        {
            if (!existed) DeleteFile(location);
            throw;
        }
    }

    /// <summary>As <see cref="Build(string, IAutoencoder, IndexItems, LatentIndexOptions?, string?, IProgress{TrainingProgress}?, CancellationToken)"/>, in <paramref name="store"/>, which the index then owns (disposed when this fails).</summary>
    public static LatentIndex Build(ILatentStore store, IAutoencoder encoder, IndexItems items, LatentIndexOptions? options = null, string? modelPath = null,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        try
        {
            ArgumentNullException.ThrowIfNull(encoder);
            ArgumentNullException.ThrowIfNull(items);
            if (items.Rows.Dim(1) != encoder.Inputs)
                throw new InvalidDataException($"The model takes items of {Counted.Of(encoder.Inputs, "value")} but {items.Source} has {items.Rows.Dim(1)}.");
            using ILatentStoreTransaction transaction = store.BeginTransaction();
            LatentIndex index = Create(store, encoder, options, modelPath, items.Spec, items.SourceSplit);
            index.AddRows(items.Ids, items.Rows, items.Metadata, encoder.Encode, progress, cancel, ownTransaction: false);
            transaction.Commit();
            index.Written();
            return index;
        }
        catch
        {
            store.Dispose();   // also when Create disposed it already: disposing twice is harmless
            throw;
        }
    }

    private static bool Exists(string location) => !LatentStores.IsPostgres(location) && File.Exists(location);

    /// <summary>Deletes an SQLite index file with its write-ahead log; a PostgreSQL location is left alone.</summary>
    private static void DeleteFile(string location)
    {
        if (LatentStores.IsPostgres(location)) return;
        foreach (string file in new[] { location, location + "-wal", location + "-shm", SearchFile.PathOf(location) })
            if (File.Exists(file)) File.Delete(file);
    }

    /// <summary>Creates a new, empty index in <paramref name="store"/>, which the index then owns.</summary>
    public static LatentIndex Create(ILatentStore store, IAutoencoder encoder, LatentIndexOptions? options = null, string? modelPath = null, string? source = null,
        Split? sourceSplit = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        try
        {
            ArgumentNullException.ThrowIfNull(encoder);
            options ??= new LatentIndexOptions();
            options.Validate();
            if (store.ReadHeader() is not null) throw new IOException($"'{store.Location}' already holds an index; add to it, or delete it first.");
            var header = new LatentStoreHeader(ModelFingerprint.Of(encoder), encoder.CodeSize, modelPath, source, sourceSplit?.ToString().ToLowerInvariant());
            store.Create(header);
            var index = new LatentIndex(store, encoder, header, options) { _loaded = true };
            index.Written();
            return index;
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    /// <summary>Opens the index at <paramref name="location"/> with the encoder it was built with.</summary>
    /// <exception cref="InvalidDataException">No index there, a damaged one, or one built with another model.</exception>
    public static LatentIndex Open(string location, IAutoencoder encoder, LatentIndexOptions? options = null) =>
        Open(LatentStores.Open(location, create: false), encoder, options);

    /// <summary>Opens the index in <paramref name="store"/> (which the index then owns) and loads its codes into memory.</summary>
    public static LatentIndex Open(ILatentStore store, IAutoencoder encoder, LatentIndexOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        try
        {
            ArgumentNullException.ThrowIfNull(encoder);
            options ??= new LatentIndexOptions();
            options.Validate();
            LatentStoreHeader header = store.ReadHeader() ?? throw new InvalidDataException($"'{store.Location}' holds no index yet.");
            string fingerprint = ModelFingerprint.Of(encoder);
            if (header.Fingerprint != fingerprint || header.CodeSize != encoder.CodeSize)
                throw new InvalidDataException(
                    $"The index '{store.Location}' was built with another model (fingerprint {Short(header.Fingerprint)}, {header.CodeSize}-value codes" +
                    $"{(header.ModelPath is null ? "" : $", from '{header.ModelPath}'")}); this model's fingerprint is {Short(fingerprint)}. Use the model the index was built with.");
            var index = new LatentIndex(store, encoder, header, options);
            if (store is ISearchingStore server) index._serverCount = server.Count();
            if (!index.SearchesOnServer(DistanceMetric.Euclidean)) index.EnsureLoaded();   // else the server searches, and memory is filled only when needed
            return index;
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    /// <summary>Whether searches by <paramref name="metric"/> run on the store's server rather than in memory: approximate search on a store that searches itself.</summary>
    private bool SearchesOnServer(DistanceMetric metric) => UsesGraph && _store is ISearchingStore server && server.CanSearch(metric);

    private void EnsureLoaded()
    {
        if (_loaded) return;
        lock (_graphLock)
        {
            if (_loaded) return;
            Load();
            _loaded = true;
        }
    }

    /// <summary>Fills memory from the saved search file when it is current, else from the store.</summary>
    private void Load()
    {
        if (_store is SqliteLatentStore sqlite)
        {
            _state = sqlite.State;   // before the items: a file labelled with it is never newer than its label
            string path = SearchFile.PathOf(sqlite.Location);
            if (File.Exists(path))
                try
                {
                    if (_state is not null && SearchFile.ReadState(path) == _state)
                    {
                        // A quantised search needs no graph; one left in the file is dropped when the index next saves it.
                        Adopt(SearchFile.Read(path, CodeSize, withGraphs: _options.Mode != SearchMode.Quantized));
                        return;
                    }
                    string what = SearchFile.Describe(path);
                    GraphNotice = $"{char.ToUpperInvariant(what[0])}{what[1..]} is out of date (the index was changed after it was saved); the graph is built again when a search needs it.";
                }
                catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
                {
                    GraphNotice = $"{e.Message.TrimEnd('.')}; the graph is built again when a search needs it.";
                }
        }
        foreach (StoredCode item in _store.ReadAll()) Remember(item.Id, item.Code, item.MetadataJson);
    }

    private void Adopt(SearchFile.Contents saved)
    {
        _codes.Dispose();
        _codes = saved.Codes;
        _ids.AddRange(saved.Ids);
        _metadata.AddRange(saved.Metadata);
        _vacant = saved.Ids.Count(id => id is null);
        foreach (HnswGraph graph in saved.Graphs) _graphs[graph.Metric] = graph;
        _sideFileCurrent = true;
    }

    /// <summary>
    /// Whether this index keeps a side file (<see cref="SavedGraphPath"/>): an SQLite index with a graph built, or one
    /// searched in quantised mode, whose full codes then stay in the file rather than in memory when it is next opened.
    /// </summary>
    private bool KeepsSideFile => _store is SqliteLatentStore && (_graphs.Count > 0 || _options.Mode == SearchMode.Quantized);

    /// <summary>
    /// Rewrites the side file of an SQLite index with its codes and the graphs built so far: after a graph was built,
    /// and on <see cref="Dispose"/> when it is not current (not after each add or removal: at a million codes the
    /// file is hundreds of megabytes). A side file left behind by a process that stopped before saving is refused by its
    /// state token. Failing to write it costs only speed, so that is said in <see cref="GraphNotice"/> rather than thrown.
    /// </summary>
    private void SaveSideFile()
    {
        _sideFileCurrent = true;
        if (!KeepsSideFile || _state is null) return;
        string path = SearchFile.PathOf(_store.Location);
        try
        {
            if (OperatingSystem.IsWindows()) _codes.Own();   // the codes may be a view of the very file replaced
            SearchFile.Write(path, _state, _codes, _ids, _metadata, _graphs.Values);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            GraphNotice = $"The search graph could not be saved to '{path}' ({e.Message.TrimEnd('.')}); it is built again by the next process that needs it.";
        }
    }

    /// <summary>After a committed write: memory now reflects the store as this write left it.</summary>
    private void Written()
    {
        if (_store is SqliteLatentStore sqlite) _state = sqlite.LastWrite;
    }

    /// <summary>The stored settings of the index at <paramref name="location"/>, without a model (to find the model it needs).</summary>
    public static LatentStoreHeader ReadHeader(string location)
    {
        using ILatentStore store = LatentStores.Open(location, create: false);
        return store.ReadHeader() ?? throw new InvalidDataException($"'{location}' holds no index yet.");
    }

    private static string Short(string fingerprint) => fingerprint.Length > 12 ? fingerprint[..12] + "…" : fingerprint;

    // ------------------------------------------------------------------ adding and removing

    /// <summary>Encodes one item [Inputs] and stores it.</summary>
    public void Add(string id, ReadOnlySpan<float> item, IReadOnlyDictionary<string, string>? metadata = null)
    {
        using Tensor items = Tensor.FromArray(item, 1, item.Length);
        Add([id], items, [metadata]);
    }

    /// <summary>
    /// Encodes the rows of <paramref name="items"/> [rows, Inputs] in batches of <see cref="LatentIndexOptions.BatchSize"/>
    /// and stores them all in one transaction. Everything is checked before the first batch is written; when anything
    /// fails or <paramref name="cancel"/> is triggered (it is checked between batches), nothing is added.
    /// </summary>
    /// <param name="progress">Hears after every batch stored (as batch b of n of one "epoch", <see cref="TrainingProgress.Stage"/> "adding items").</param>
    /// <exception cref="ArgumentException">Ids missing, repeated or already stored; rows of the wrong width or not finite; metadata of another length.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancel"/> was triggered.</exception>
    public void Add(IReadOnlyList<string> ids, Tensor items, IReadOnlyList<IReadOnlyDictionary<string, string>?>? metadata = null,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items.Rank != 2 || items.Dim(1) != _encoder.Inputs)
            throw new ArgumentException($"The model encodes items of {_encoder.Inputs} values, but the items have shape [{string.Join(", ", items.Shape)}].");
        AddRows(ids, items, metadata, _encoder.Encode, progress, cancel);
    }

    /// <summary>Encodes and stores <paramref name="items"/> with their ids and metadata (see the other overload).</summary>
    public void Add(IndexItems items, IProgress<TrainingProgress>? progress = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        Add(items.Ids, items.Rows, items.Metadata, progress, cancel);
    }

    /// <summary>Stores codes [rows, CodeSize] that this index's model already produced.</summary>
    public void AddCodes(IReadOnlyList<string> ids, Tensor codes, IReadOnlyList<IReadOnlyDictionary<string, string>?>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(codes);
        if (codes.Rank != 2 || codes.Dim(1) != CodeSize)
            throw new ArgumentException($"The index holds codes of {CodeSize} values, but the codes have shape [{string.Join(", ", codes.Shape)}].");
        AddRows(ids, codes, metadata, c => c, null, default);
    }

    /// <summary>Checks, encodes and stores the rows in one transaction (its own, or with <paramref name="ownTransaction"/> false the store's open one), then adds them to memory.</summary>
    private void AddRows(IReadOnlyList<string> ids, Tensor rows, IReadOnlyList<IReadOnlyDictionary<string, string>?>? metadata, Func<Tensor, Tensor> encode,
        IProgress<TrainingProgress>? progress, CancellationToken cancel, bool ownTransaction = true)
    {
        ArgumentNullException.ThrowIfNull(ids);
        int count = rows.Dim(0), width = rows.Dim(1);
        if (ids.Count != count) throw new ArgumentException($"There are {ids.Count} ids for {count} items.");
        if (metadata is not null && metadata.Count != count) throw new ArgumentException($"There are {metadata.Count} metadata entries for {count} items.");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < count; i++)
        {
            string? id = ids[i];
            if (string.IsNullOrEmpty(id)) throw new ArgumentException($"Item {i} has no id.");
            if (!seen.Add(id)) throw new ArgumentException($"The id '{id}' is given twice.");
            if (_loaded && Slots.ContainsKey(id)) throw new ArgumentException($"The index already holds an item with id '{id}'.");
        }
        ReadOnlySpan<float> values = rows.Span;
        for (int i = 0; i < values.Length; i++)
            if (!float.IsFinite(values[i])) throw new ArgumentException($"Item '{ids[i / width]}' has the value {values[i]} in column {i % width}; items must be finite numbers.");

        string[] json = [.. Enumerable.Range(0, count).Select(i => JsonSerializer.Serialize(metadata?[i] ?? new Dictionary<string, string>()))];
        int[] chunk = new int[Math.Min(_options.BatchSize, count)];
        int batches = (count + _options.BatchSize - 1) / _options.BatchSize;
        var stored = new List<StoredCode>(count);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using (ILatentStoreTransaction? transaction = ownTransaction ? _store.BeginTransaction() : null)
        {
            for (int start = 0; start < count; start += _options.BatchSize)
            {
                cancel.ThrowIfCancellationRequested();
                int n = Math.Min(_options.BatchSize, count - start);
                for (int i = 0; i < n; i++) chunk[i] = start + i;
                using Tensor part = Ops.SelectRows(rows, chunk.AsSpan(0, n));
                Tensor codes = encode(part);
                var batch = new StoredCode[n];
                for (int i = 0; i < n; i++)
                {
                    float[] code = codes.Span.Slice(i * CodeSize, CodeSize).ToArray();
                    if (!code.All(float.IsFinite)) throw new ArgumentException($"The model gives item '{ids[start + i]}' a code that is not finite; nothing was added.");
                    batch[i] = new StoredCode(ids[start + i], code, json[start + i]);
                }
                if (!ReferenceEquals(codes, part)) codes.Dispose();
                _store.Add(batch);
                stored.AddRange(batch);
                int done = start + n;
                progress?.Report(new TrainingProgress(1, 1, (start / _options.BatchSize) + 1, batches, float.NaN, done / Math.Max(clock.Elapsed.TotalSeconds, 1e-9),
                    EpochEnded: null, Stage: "adding items"));
            }
            transaction?.Commit();
        }
        if (!_loaded)
        {
            _serverCount += count;
            return;
        }
        int first = _ids.Count;
        foreach (StoredCode item in stored) Remember(item.Id, item.Code, item.MetadataJson);
        if (!ownTransaction) return;   // Build: nothing is kept until its transaction commits, and a new index has no graph yet
        Written();
        ExtendGraphs(first);
    }

    /// <summary>
    /// Deletes the item; false when there is none with that id. The graphs keep it as a waypoint that no search returns
    /// (an SQLite index rewrites its saved graph when disposed); once removed items outnumber the others, memory is compacted and the graphs
    /// are built again on their next use.
    /// </summary>
    public bool Remove(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (!_loaded)
        {
            bool removed = _store.Remove(id);
            if (removed) _serverCount--;
            return removed;
        }
        if (!Slots.TryGetValue(id, out int slot)) return false;
        _store.Remove(id);
        Written();
        _codes.Vacate(slot);
        _quantized = null;
        Slots.Remove(id);
        _ids[slot] = null;
        _metadata[slot] = null;
        _vacant++;
        lock (_graphLock)
        {
            if (_vacant > Count) Compact();
            foreach (HnswGraph graph in _graphs.Values) graph.MarkDeleted(slot);
            _sideFileCurrent = false;
        }
        return true;
    }

    /// <summary>Renumbers the remaining items into consecutive slots and drops the graphs (with their side file), which no longer fit the numbers.</summary>
    private void Compact()
    {
        var code = new float[CodeSize];
        var codes = new CodePanels(CodeSize);
        int kept = 0;
        for (int slot = 0; slot < _ids.Count; slot++)
        {
            if (_ids[slot] is null) continue;
            _codes.Read(slot, code);
            codes.Add(code);
            (_ids[kept], _metadata[kept]) = (_ids[slot], _metadata[slot]);
            kept++;
        }
        _ids.RemoveRange(kept, _ids.Count - kept);
        _metadata.RemoveRange(kept, _metadata.Count - kept);
        _codes.Dispose();
        (_codes, _slots, _vacant) = (codes, null, 0);
        DropGraphs();
        if (SavedGraphPath is not { } path) return;
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The removal itself is committed; a stale file is refused by its state token when next opened.
            GraphNotice = $"The outdated search graph '{path}' could not be deleted ({e.Message.TrimEnd('.')}); it is not used again.";
        }
    }

    private void Remember(string id, float[] code, string metadataJson)
    {
        _slots?.Add(id, _ids.Count);
        _ids.Add(id);
        _metadata.Add(metadataJson);
        _codes.Add(code);
        _quantized = null;
    }

    // ------------------------------------------------------------------ searching

    /// <summary>The k stored items nearest to the code of <paramref name="item"/> [Inputs], nearest first.</summary>
    public IReadOnlyList<SearchHit> Search(ReadOnlySpan<float> item, int k = 10, DistanceMetric metric = DistanceMetric.Euclidean)
    {
        using Tensor items = Tensor.FromArray(item, 1, item.Length);
        return Search(items, k, metric)[0];
    }

    /// <summary>The k nearest stored items of each row of <paramref name="items"/> [rows, Inputs], nearest first.</summary>
    public IReadOnlyList<SearchHit>[] Search(Tensor items, int k = 10, DistanceMetric metric = DistanceMetric.Euclidean)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items.Rank != 2 || items.Dim(1) != _encoder.Inputs)
            throw new ArgumentException($"The model encodes items of {_encoder.Inputs} values, but the query has shape [{string.Join(", ", items.Shape)}].");
        CheckFinite(items.Span, "query");
        using Tensor codes = _encoder.Encode(items);
        return SearchCodes(codes, k, metric);
    }

    /// <summary>The k stored items nearest to <paramref name="code"/> [CodeSize], nearest first.</summary>
    public IReadOnlyList<SearchHit> SearchCode(ReadOnlySpan<float> code, int k = 10, DistanceMetric metric = DistanceMetric.Euclidean)
    {
        using Tensor codes = Tensor.FromArray(code, 1, code.Length);
        return SearchCodes(codes, k, metric)[0];
    }

    /// <summary>The k nearest stored items of each code of <paramref name="codes"/> [rows, CodeSize], nearest first.</summary>
    public IReadOnlyList<SearchHit>[] SearchCodes(Tensor codes, int k = 10, DistanceMetric metric = DistanceMetric.Euclidean)
    {
        ArgumentNullException.ThrowIfNull(codes);
        if (codes.Rank != 2 || codes.Dim(1) != CodeSize)
            throw new ArgumentException($"The index holds codes of {CodeSize} values, but the query codes have shape [{string.Join(", ", codes.Shape)}].");
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), k, "k must be at least 1.");
        CheckFinite(codes.Span, "query code");
        int queries = codes.Dim(0);
        if (Count == 0) return [.. Enumerable.Range(0, queries).Select(_ => (IReadOnlyList<SearchHit>)[])];
        k = Math.Min(k, Count);
        float[] q = codes.ToArray();
        if (SearchesOnServer(metric)) return SearchOnServer((ISearchingStore)_store, q, queries, k, metric);
        EnsureLoaded();
        (float Score, int Slot)[][] found;
        if (UsesGraph)
        {
            HnswGraph graph = Graph(metric);
            found = new (float, int)[queries][];
            Parallel.For(0, queries, new ParallelOptions { MaxDegreeOfParallelism = Parallelism.Threads },
                i => found[i] = graph.Search(q.AsSpan(i * CodeSize, CodeSize), k, Math.Max(Ef, k)));
        }
        else
        {
            if (metric == DistanceMetric.Cosine)
                for (int i = 0; i < queries; i++) HnswGraph.Normalise(q.AsSpan(i * CodeSize, CodeSize));
            found = _options.Mode == SearchMode.Quantized
                ? QuantizedSearch.Search(Quantized(), _codes, q, queries, k, Candidates, metric)
                : ExactSearch.Search(_codes, q, queries, k, metric);
        }
        return Hits(found, metric);
    }

    /// <summary>The stored items of each query's (score, slot) pairs.</summary>
    // Compiled optimised at once, as the graph search is (see HnswGraph.Search).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private IReadOnlyList<SearchHit>[] Hits((float Score, int Slot)[][] found, DistanceMetric metric)
    {
        var hits = new IReadOnlyList<SearchHit>[found.Length];
        for (int q = 0; q < found.Length; q++)
        {
            var row = new SearchHit[found[q].Length];
            for (int i = 0; i < row.Length; i++) row[i] = Hit(found[q][i].Score, found[q][i].Slot, metric);
            hits[q] = row;
        }
        return hits;
    }

    /// <summary>Each query on the store's server (with a connection of its own, as many at once as there are threads).</summary>
    private IReadOnlyList<SearchHit>[] SearchOnServer(ISearchingStore server, float[] q, int queries, int k, DistanceMetric metric)
    {
        var hits = new IReadOnlyList<SearchHit>[queries];
        Parallel.For(0, queries, new ParallelOptions { MaxDegreeOfParallelism = Parallelism.Threads }, i =>
            hits[i] = [.. server.Nearest(q.AsSpan(i * CodeSize, CodeSize), k, metric, Math.Max(Ef, k))
                .Select(h => new SearchHit(h.Id, h.Distance, new StoredMetadata(h.MetadataJson, h.Id, Location)))]);
        return hits;
    }

    /// <summary>Whether searches are approximate under the current options and size: on the HNSW graph, or on the server of a store that searches itself.</summary>
    public bool UsesGraph => _options.Mode == SearchMode.Approximate || (_options.Mode == SearchMode.Auto && Count >= _options.ApproximateFrom);

    private SearchHit Hit(float score, int slot, DistanceMetric metric)
    {
        float distance = metric == DistanceMetric.Euclidean ? MathF.Sqrt(Math.Max(score, 0f)) : Math.Clamp(1f + score, 0f, 2f);
        string id = _ids[slot]!;   // searches never return a removed item's slot
        return new SearchHit(id, distance, new StoredMetadata(_metadata[slot]!, id, Location));
    }

    /// <summary>
    /// Builds the approximate-search graph for <paramref name="metric"/> now rather than on the first search that needs it
    /// (an SQLite index saves it beside its file); nothing happens when it is built already.
    /// </summary>
    public void BuildGraph(DistanceMetric metric) => Graph(metric);

    private HnswGraph Graph(DistanceMetric metric)
    {
        EnsureLoaded();
        lock (_graphLock)
        {
            if (_graphs.TryGetValue(metric, out HnswGraph? graph)) return graph;
            graph = new HnswGraph(CodeSize, metric, _options.Links, _options.EfConstruction);
            graph.AddRange(RowMajor(0), _ids.Count);
            for (int slot = 0; slot < _ids.Count; slot++)
                if (_ids[slot] is null) graph.MarkDeleted(slot);
            _graphs[metric] = graph;
            SaveSideFile();
            return graph;
        }
    }

    private QuantizedCodes Quantized()
    {
        lock (_graphLock) return _quantized ??= QuantizedCodes.From(_codes);
    }

    private void ExtendGraphs(int first)
    {
        lock (_graphLock)
        {
            _sideFileCurrent = false;
            if (_graphs.Count == 0) return;
            foreach (HnswGraph graph in _graphs.Values) graph.AddRange(RowMajor(first), _ids.Count - first);
        }
    }

    /// <summary>The codes of slots first.. row by row; a removed item's slot holds zeros (its graph node is marked deleted).</summary>
    private float[] RowMajor(int first)
    {
        var rows = new float[(long)(_ids.Count - first) * CodeSize];
        for (int slot = first; slot < _ids.Count; slot++)
            if (_ids[slot] is not null) _codes.Read(slot, rows.AsSpan((slot - first) * CodeSize, CodeSize));
        return rows;
    }

    private static void CheckFinite(ReadOnlySpan<float> values, string what)
    {
        foreach (float v in values)
            if (!float.IsFinite(v)) throw new ArgumentException($"The {what} holds {v}; it must be finite numbers.");
    }

    /// <summary>Saves graphs that adds or removals changed (an SQLite index's side file), then closes the store (the SQLite file or the PostgreSQL connection).</summary>
    public void Dispose()
    {
        lock (_graphLock)
        {
            if (!_sideFileCurrent) SaveSideFile();
            DropGraphs();
            _codes.Dispose();
        }
        _store.Dispose();
    }

    /// <summary>Frees the graphs' memory (held outside the managed heap) and forgets them.</summary>
    private void DropGraphs()
    {
        foreach (HnswGraph graph in _graphs.Values) graph.Dispose();
        _graphs.Clear();
    }
}
