using Microsoft.Data.Sqlite;

namespace Latent.Storage;

/// <summary>
/// A latent index in one SQLite file:
/// <code>
/// info(key TEXT PRIMARY KEY, value TEXT)        schema_version, fingerprint, code_size, model_path, source, state
/// items(seq INTEGER PRIMARY KEY, id TEXT UNIQUE, metadata TEXT (JSON), code BLOB (float32 little-endian))
/// </code>
/// The journal is a write-ahead log with full synchronisation, so a committed batch survives a crash or power loss,
/// and readers in other processes keep reading the last committed state while a writer adds (they never see half an
/// add). Every write also gives <see cref="State"/> a new value in the same transaction, by which a cache of the
/// items kept outside the file (the saved search graph) knows whether it is still current.
/// The model path is stored relative to the index file, so that an index moved together with its model still finds it.
/// </summary>
public sealed class SqliteLatentStore : ILatentStore
{
    internal const int SchemaVersion = 1;
    private const int NotADatabase = 26, Corrupt = 11;
    private readonly SqliteConnection _connection;
    private int _codeSize;
    private SqliteTransaction? _transaction;   // the open scope's, or one Create or Add runs in

    static SqliteLatentStore() => SQLitePCL.Batteries_V2.Init();

    /// <param name="path">The index file.</param>
    /// <param name="create">Create the file if it does not exist; otherwise a missing file is an error.</param>
    /// <exception cref="FileNotFoundException">The file does not exist and <paramref name="create"/> is false.</exception>
    /// <exception cref="InvalidDataException">The file is not an SQLite database.</exception>
    public SqliteLatentStore(string path, bool create)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Location = path;
        if (!create) InputFile.Check(path, "index file");
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = create ? SqliteOpenMode.ReadWriteCreate : SqliteOpenMode.ReadWrite,
            Pooling = false,
        };
        _connection = new SqliteConnection(builder.ToString());
        try
        {
            _connection.Open();
            Execute("PRAGMA busy_timeout=10000; PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;");
        }
        catch (SqliteException e)
        {
            _connection.Dispose();
            throw Damaged(e);
        }
    }

    /// <inheritdoc/>
    public string Location { get; }

    /// <inheritdoc/>
    public LatentStoreHeader? ReadHeader()
    {
        Dictionary<string, string> info;
        try
        {
            if (Scalar("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('info', 'items')") is not 2L)
            {
                if (Scalar("SELECT count(*) FROM sqlite_master") is 0L) return null;
                throw new InvalidDataException($"'{Location}' is an SQLite database but not a Latent index (it has no info and items tables).");
            }
            info = [];
            using var command = Command("SELECT key, value FROM info");
            using var reader = command.ExecuteReader();
            while (reader.Read()) info[reader.GetString(0)] = reader.GetString(1);
        }
        catch (SqliteException e)
        {
            throw Damaged(e);
        }
        LatentStoreHeader header = StoreSettings.ToHeader(info, SchemaVersion, Location);
        _codeSize = header.CodeSize;
        // Path.Combine keeps a rooted path as it is: indexes written before paths were relative still open.
        return header.ModelPath is { } model ? header with { ModelPath = Path.GetFullPath(Path.Combine(Folder, model)) } : header;
    }

    /// <summary>The folder of the index file, which the stored model path is relative to.</summary>
    private string Folder => Path.GetDirectoryName(Path.GetFullPath(Location))!;

    /// <inheritdoc/>
    public void Create(LatentStoreHeader header)
    {
        // GetRelativePath gives the full path back when there is no relative one (another drive); '/' reads on every system.
        if (header.ModelPath is { } model)
            header = header with { ModelPath = Path.GetRelativePath(Folder, Path.GetFullPath(model)).Replace(Path.DirectorySeparatorChar, '/') };
        InTransaction(() =>
        {
            Execute("CREATE TABLE info (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
            Execute("CREATE TABLE items (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, metadata TEXT NOT NULL, code BLOB NOT NULL)");
            foreach (var (key, value) in StoreSettings.FromHeader(header, SchemaVersion))
            {
                using var insert = Command("INSERT INTO info (key, value) VALUES ($key, $value)");
                insert.Parameters.AddWithValue("$key", key);
                insert.Parameters.AddWithValue("$value", value);
                insert.ExecuteNonQuery();
            }
            Touch();
        });
        _codeSize = header.CodeSize;
    }

    /// <inheritdoc/>
    public void Add(IReadOnlyList<StoredCode> items) => InTransaction(() =>
    {
        using var insert = Command("INSERT INTO items (id, metadata, code) VALUES ($id, $metadata, $code)");
        SqliteParameter id = insert.Parameters.Add("$id", SqliteType.Text), metadata = insert.Parameters.Add("$metadata", SqliteType.Text),
            code = insert.Parameters.Add("$code", SqliteType.Blob);
        insert.Prepare();
        foreach (StoredCode item in items)
        {
            id.Value = item.Id;
            metadata.Value = item.MetadataJson;
            code.Value = CodeBlob.ToBytes(item.Code);
            try
            {
                insert.ExecuteNonQuery();
            }
            catch (SqliteException e) when (e.SqliteErrorCode == 19)
            {
                throw new ArgumentException($"The index '{Location}' already holds an item with id '{item.Id}'; nothing of this batch was added.");
            }
        }
        Touch();
    });

    /// <inheritdoc/>
    public ILatentStoreTransaction BeginTransaction()
    {
        if (_transaction is not null) throw new InvalidOperationException($"A transaction is already open on the index '{Location}'.");
        SqliteTransaction transaction = _transaction = _connection.BeginTransaction();
        return new StoreTransaction(() =>
        {
            transaction.Commit();
            End();
        }, () =>
        {
            if (ReferenceEquals(_transaction, transaction)) End();
        });
    }

    /// <inheritdoc/>
    public bool Remove(string id)
    {
        bool removed = false;
        InTransaction(() =>
        {
            using var delete = Command("DELETE FROM items WHERE id = $id");
            delete.Parameters.AddWithValue("$id", id);
            removed = delete.ExecuteNonQuery() > 0;
            if (removed) Touch();
        });
        return removed;
    }

    /// <summary>
    /// A token that changes with every committed write (create, add, remove); null for an index written before
    /// there were tokens. Read it before reading the items, so that a cache labelled with it is never newer than its label.
    /// </summary>
    public string? State
    {
        get
        {
            try
            {
                return Scalar("SELECT value FROM info WHERE key = 'state'") as string;
            }
            catch (SqliteException e)
            {
                throw Damaged(e);
            }
        }
    }

    /// <summary>
    /// The <see cref="State"/> this store's own last write set (once that write is committed): unlike reading
    /// <see cref="State"/> afterwards, it cannot be another process's token that says nothing of this write.
    /// </summary>
    public string? LastWrite { get; private set; }

    /// <summary>Gives <see cref="State"/> a new value, in the current transaction.</summary>
    private void Touch()
    {
        using var upsert = Command("INSERT INTO info (key, value) VALUES ('state', $state) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
        string state = Guid.NewGuid().ToString("N");
        upsert.Parameters.AddWithValue("$state", state);
        upsert.ExecuteNonQuery();
        LastWrite = state;
    }

    /// <inheritdoc/>
    public IEnumerable<StoredCode> ReadAll()
    {
        using var command = Command("SELECT id, metadata, code FROM items ORDER BY seq");
        SqliteDataReader reader;
        try
        {
            reader = command.ExecuteReader();
        }
        catch (SqliteException e)
        {
            throw Damaged(e);
        }
        using (reader)
            while (Next(reader))
            {
                string id = reader.GetString(0);
                yield return new StoredCode(id, CodeBlob.FromBytes((byte[])reader.GetValue(2), _codeSize, id, Location), reader.GetString(1));
            }
    }

    private bool Next(SqliteDataReader reader)
    {
        try
        {
            return reader.Read();
        }
        catch (SqliteException e)
        {
            throw Damaged(e);
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        End();
        _connection.Dispose();
    }

    /// <summary>Runs <paramref name="work"/> in the open scope's transaction, or else in one of its own.</summary>
    private void InTransaction(Action work)
    {
        if (_transaction is not null)
        {
            work();
            return;
        }
        _transaction = _connection.BeginTransaction();
        try
        {
            work();
            _transaction.Commit();
        }
        finally
        {
            End();
        }
    }

    /// <summary>Closes the current transaction; one not committed is rolled back.</summary>
    private void End()
    {
        _transaction?.Dispose();
        _transaction = null;
    }

    private InvalidDataException Damaged(SqliteException e) => e.SqliteErrorCode is NotADatabase or Corrupt
        ? new InvalidDataException($"'{Location}' is not a Latent index: the file is not an SQLite database or is damaged.", e)
        : new InvalidDataException($"The index '{Location}' cannot be read: {e.Message.TrimEnd('.')}.", e);

    private SqliteCommand Command(string sql)
    {
        SqliteCommand command = _connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = _transaction;
        return command;
    }

    private void Execute(string sql)
    {
        using var command = Command(sql);
        command.ExecuteNonQuery();
    }

    private object? Scalar(string sql)
    {
        using var command = Command(sql);
        return command.ExecuteScalar();
    }
}
