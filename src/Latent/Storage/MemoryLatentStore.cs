namespace Latent.Storage;

/// <summary>A store that keeps nothing beyond the process: for throwaway indexes, experiments and benchmarks.</summary>
public sealed class MemoryLatentStore : ILatentStore
{
    private readonly List<StoredCode> _items = [];
    private LatentStoreHeader? _header;

    /// <inheritdoc/>
    public string Location => "memory";

    /// <inheritdoc/>
    public LatentStoreHeader? ReadHeader() => _header;

    /// <inheritdoc/>
    public void Create(LatentStoreHeader header) => _header = header;

    /// <inheritdoc/>
    public void Add(IReadOnlyList<StoredCode> items)
    {
        var ids = _items.Select(i => i.Id).ToHashSet(StringComparer.Ordinal);
        foreach (StoredCode item in items)
            if (!ids.Add(item.Id)) throw new ArgumentException($"The index already holds an item with id '{item.Id}'; nothing of this batch was added.");
        _items.AddRange(items);
    }

    /// <summary>A scope that, uncommitted, restores the items and header as they were when it opened.</summary>
    public ILatentStoreTransaction BeginTransaction()
    {
        List<StoredCode> items = [.. _items];
        LatentStoreHeader? header = _header;
        return new StoreTransaction(() => { }, () =>
        {
            _items.Clear();
            _items.AddRange(items);
            _header = header;
        });
    }

    /// <inheritdoc/>
    public bool Remove(string id) => _items.RemoveAll(i => i.Id == id) > 0;

    /// <inheritdoc/>
    public IEnumerable<StoredCode> ReadAll() => _items.ToList();

    /// <inheritdoc/>
    public void Dispose() { }
}
