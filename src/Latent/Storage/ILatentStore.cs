using Latent.Applications.Search;

namespace Latent.Storage;

/// <summary>What identifies an index: the fingerprint of the model whose codes it holds, their size, and where the model and items came from.</summary>
/// <param name="Fingerprint">SHA-256 (hex) of the encoder's configuration and parameters.</param>
/// <param name="CodeSize">Values per code.</param>
/// <param name="ModelPath">The model file the index was built with, when known (so that later commands can find it); an SQLite index stores it relative to its own file and gives it back as a full path.</param>
/// <param name="Source">What the first items came from, for the record.</param>
/// <param name="SourceSplit">When <paramref name="Source"/> is a named data set: which split ("train" or "test"); null for older indexes and files.</param>
public sealed record LatentStoreHeader(string Fingerprint, int CodeSize, string? ModelPath = null, string? Source = null, string? SourceSplit = null);

/// <summary>One stored item: its id, its code, and its metadata as a JSON object.</summary>
public sealed record StoredCode(string Id, float[] Code, string MetadataJson);

/// <summary>
/// Where a latent index keeps its items: one table of (id, metadata JSON, code) in insertion order and a small
/// table of settings (schema version, fingerprint, code size). Each <see cref="Add"/> is one transaction, or part of
/// the one a <see cref="BeginTransaction"/> scope holds open: after a crash the store holds every transaction that was
/// committed and nothing of the one that was not.
/// </summary>
public interface ILatentStore : IDisposable
{
    /// <summary>The file or server, for messages.</summary>
    string Location { get; }

    /// <summary>The header of an existing index, or null when the store holds none yet.</summary>
    /// <exception cref="InvalidDataException">The store is not a readable Latent index.</exception>
    LatentStoreHeader? ReadHeader();

    /// <summary>Creates the tables of a new, empty index.</summary>
    void Create(LatentStoreHeader header);

    /// <summary>Adds items in one transaction (or in the open scope's); ids must be new.</summary>
    void Add(IReadOnlyList<StoredCode> items);

    /// <summary>
    /// Opens a scope in which <see cref="Create"/>, <see cref="Add"/> and <see cref="Remove"/> are one transaction: all of
    /// them are kept by <see cref="ILatentStoreTransaction.Commit"/>, none when the scope is disposed uncommitted (after a
    /// failure or a cancellation) or the process dies. One scope at a time; disposing the store rolls an open one back.
    /// </summary>
    ILatentStoreTransaction BeginTransaction();

    /// <summary>Deletes the item; false when there is none with that id.</summary>
    bool Remove(string id);

    /// <summary>Every item, in insertion order.</summary>
    IEnumerable<StoredCode> ReadAll();
}

/// <summary>An open transaction of an <see cref="ILatentStore"/>: <see cref="Commit"/> keeps its changes; disposing it without committing undoes them.</summary>
public interface ILatentStoreTransaction : IDisposable
{
    /// <summary>Makes the transaction's changes permanent (disposing without it rolls them back).</summary>
    void Commit();
}

/// <summary>
/// A store that finds nearest codes itself (a database server with its own index), so that a <see cref="LatentIndex"/>
/// on a large collection searches without loading it into the client.
/// </summary>
public interface ISearchingStore : ILatentStore
{
    /// <summary>Whether the store can search by <paramref name="metric"/>.</summary>
    bool CanSearch(DistanceMetric metric);

    /// <summary>Number of items stored.</summary>
    long Count();

    /// <summary>The k items nearest to <paramref name="code"/>, nearest first: id, distance (as <see cref="SearchHit.Distance"/>) and metadata JSON.</summary>
    /// <param name="ef">Candidates an approximate index explores (its recall/speed knob); an exact search ignores it.</param>
    IReadOnlyList<(string Id, float Distance, string MetadataJson)> Nearest(ReadOnlySpan<float> code, int k, DistanceMetric metric, int ef);
}
