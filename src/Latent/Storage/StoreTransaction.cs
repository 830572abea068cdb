namespace Latent.Storage;

/// <summary>A store's transaction scope from two actions: commit once, or roll back when disposed uncommitted (either at most once).</summary>
internal sealed class StoreTransaction(Action commit, Action rollback) : ILatentStoreTransaction
{
    private bool _finished;

    public void Commit()
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        commit();
        _finished = true;
    }

    public void Dispose()
    {
        if (_finished) return;
        _finished = true;
        rollback();
    }
}
