using Latent.Storage;

namespace Latent.Tests.Storage;

/// <summary>A store's transaction scope: committed, everything in it stays; disposed uncommitted, nothing of it does.</summary>
public sealed class LatentStoreTransactionTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private ILatentStore Open(string kind, string name) => kind == "sqlite" ? new SqliteLatentStore(_folder.File(name), create: true) : new MemoryLatentStore();

    private static StoredCode Item(string id) => new(id, [1f, 2f], "{}");

    [Theory]
    [InlineData("sqlite")]
    [InlineData("memory")]
    public void AnUncommittedScopeKeepsNothingAndACommittedOneKeepsAll(string kind)
    {
        using ILatentStore store = Open(kind, "a.db");
        using (ILatentStoreTransaction transaction = store.BeginTransaction())
        {
            store.Create(new LatentStoreHeader("f", 2));
            store.Add([Item("a")]);
        }
        Assert.Null(store.ReadHeader());

        store.Create(new LatentStoreHeader("f", 2));
        using (ILatentStoreTransaction transaction = store.BeginTransaction())
        {
            store.Add([Item("a")]);
            store.Add([Item("b")]);
        }
        Assert.Empty(store.ReadAll());
        using (ILatentStoreTransaction transaction = store.BeginTransaction())
        {
            store.Add([Item("a")]);
            store.Add([Item("b")]);
            transaction.Commit();
        }
        Assert.Equal(["a", "b"], store.ReadAll().Select(i => i.Id));
    }

    [Fact]
    public void AnSqliteScopeLeftOpenByADisposedStoreIsRolledBack()
    {
        string path = _folder.File("b.db");
        using (var store = new SqliteLatentStore(path, create: true))
        {
            store.Create(new LatentStoreHeader("f", 2));
            store.BeginTransaction();   // never committed: the process "died" with it open
            store.Add([Item("a")]);
        }
        using var reopened = new SqliteLatentStore(path, create: false);
        Assert.NotNull(reopened.ReadHeader());
        Assert.Empty(reopened.ReadAll());
    }
}
