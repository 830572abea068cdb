using System.Globalization;
using System.Text.RegularExpressions;
using Latent.Applications.Search;
using Npgsql;
using NpgsqlTypes;

namespace Latent.Storage;

/// <summary>
/// A latent index on a PostgreSQL server, for an index that several machines share: the tables of
/// <see cref="SqliteLatentStore"/> (named <c>{name}_info</c> and <c>{name}_items</c>) plus a <c>point</c> column
/// holding each code in a type the server can search: pgvector's <c>vector(n)</c> when that extension is available,
/// with two HNSW indexes (<c>vector_l2_ops</c> and <c>vector_cosine_ops</c>), else contrib's <c>cube</c> (up to 100
/// values) with a GiST index for exact Euclidean k-NN, else none. The choice is made when the index is created and
/// kept in its info table. <see cref="Nearest"/> searches on the server (<c>ORDER BY point &lt;-&gt; $1 LIMIT k</c>),
/// so a client never loads a large collection; the exact BLOB in <c>code</c> is what <see cref="ReadAll"/> returns.
/// Every write is one transaction (DDL included): a build that fails or whose process dies leaves no tables.
/// </summary>
public sealed partial class PostgresLatentStore : ISearchingStore
{
    private const int CubeMaxDimensions = 100;   // CUBE_MAX_DIM in contrib/cube
    private const int HnswMaxDimensions = 2000;  // pgvector's limit for an HNSW index on vector
    private readonly string? _required;
    private readonly NpgsqlDataSource _source;
    private readonly string _info, _items;
    private int _codeSize;
    private string _point = "none";
    private NpgsqlConnection? _held;             // the open scope's connection and transaction, if any
    private NpgsqlTransaction? _transaction;
    private bool _graphsPending;                 // a scope created the table; its HNSW indexes are built when it commits

    /// <param name="connection">An Npgsql connection string (<c>Host=…;Username=…;Database=…</c>) or a <c>postgresql://user@host:port/db</c> URI.</param>
    /// <param name="name">Prefix of the two tables: letters, digits and underscores.</param>
    /// <param name="pointType">For a new index: "vector", "cube" or "none" to use that column type (refused when the server lacks it), or null for the best the server has.</param>
    public PostgresLatentStore(string connection, string name = "latent", string? pointType = null)
    {
        if (pointType is not (null or "vector" or "cube" or "none")) throw new ArgumentException($"The point type '{pointType}' is not one of vector, cube and none.", nameof(pointType));
        _required = pointType;
        ArgumentException.ThrowIfNullOrWhiteSpace(connection);
        if (!Identifier().IsMatch(name)) throw new ArgumentException($"The index name '{name}' must be letters, digits and underscores, starting with a letter.", nameof(name));
        string keyValues = connection.Contains("://", StringComparison.Ordinal) ? FromUri(connection) : connection;
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(keyValues);
            Location = $"postgresql://{builder.Host}:{builder.Port}/{builder.Database} ({name})";
            _source = NpgsqlDataSource.Create(builder);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"'{connection}' is not a usable PostgreSQL connection string: {e.Message}");
        }
        _info = name + "_info";
        _items = name + "_items";
    }

    /// <inheritdoc/>
    public string Location { get; }

    /// <summary>For a new pgvector index: links per node of its HNSW indexes (pgvector's <c>m</c>; its default).</summary>
    public int GraphLinks { get; init; } = 16;

    /// <summary>For a new pgvector index: candidates considered when linking a node (pgvector's <c>ef_construction</c>; its default).</summary>
    public int GraphEfConstruction { get; init; } = 64;

    /// <summary>For a new pgvector index: the distances it builds an HNSW index for (without one, the server scans every row for that distance).</summary>
    public IReadOnlyList<DistanceMetric> GraphMetrics { get; init; } = [DistanceMetric.Euclidean, DistanceMetric.Cosine];

    /// <summary>The column type codes are searched in on the server: "vector", "cube" or "none".</summary>
    public string PointType => _point;

    /// <inheritdoc/>
    public LatentStoreHeader? ReadHeader() => Run(connection =>
    {
        using (var exists = new NpgsqlCommand("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename IN ($1, $2)", connection))
        {
            exists.Parameters.Add(new() { Value = _info });
            exists.Parameters.Add(new() { Value = _items });
            long tables = (long)exists.ExecuteScalar()!;
            if (tables == 0) return null;
            if (tables != 2) throw new InvalidDataException($"The index '{Location}' is damaged: one of its tables {_info} and {_items} is missing.");
        }
        var info = new Dictionary<string, string>();
        using (var select = new NpgsqlCommand($"SELECT key, value FROM {_info}", connection))
        using (var reader = select.ExecuteReader())
            while (reader.Read()) info[reader.GetString(0)] = reader.GetString(1);
        LatentStoreHeader header = StoreSettings.ToHeader(info, SqliteLatentStore.SchemaVersion, Location);
        _codeSize = header.CodeSize;
        _point = info.GetValueOrDefault("point_type", "none");
        return header;
    });

    /// <inheritdoc/>
    public void Create(LatentStoreHeader header) => Run(connection =>
    {
        string point;
        // On a connection of its own: a refused CREATE EXTENSION would abort the scope's transaction.
        using (NpgsqlConnection side = _source.OpenConnection()) point = ChoosePointType(side, header.CodeSize, _required);
        if (_required is not null && point != _required)
            throw new IOException($"The server of '{Location}' cannot keep codes of {header.CodeSize} values as {_required} (the extension is missing, not allowed, or too small for them).");
        using NpgsqlTransaction? transaction = Own(connection);
        string column = point switch
        {
            "vector" => $", point vector({header.CodeSize}) NOT NULL",
            "cube" => ", point cube NOT NULL",
            _ => "",
        };
        Execute(connection, $"CREATE TABLE {_info} (key text PRIMARY KEY, value text NOT NULL)");
        Execute(connection, $"CREATE TABLE {_items} (seq bigserial PRIMARY KEY, id text NOT NULL UNIQUE, metadata jsonb NOT NULL, code bytea NOT NULL{column})");
        if (point == "cube") Execute(connection, $"CREATE INDEX {_items}_point ON {_items} USING gist (point)");
        // In a scope (a build), the graphs are built once its items are in, when the scope commits: far faster than item by item.
        _graphsPending = point == "vector" && header.CodeSize <= HnswMaxDimensions;
        if (_graphsPending && _held is null) BuildGraphs(connection);
        foreach (var (key, value) in StoreSettings.FromHeader(header, SqliteLatentStore.SchemaVersion).Append(("point_type", point)))
        {
            using var insert = new NpgsqlCommand($"INSERT INTO {_info} (key, value) VALUES ($1, $2)", connection);
            insert.Parameters.Add(new() { Value = key });
            insert.Parameters.Add(new() { Value = value });
            insert.ExecuteNonQuery();
        }
        transaction?.Commit();
        _codeSize = header.CodeSize;
        _point = point;
        return 0;
    });

    /// <summary>pgvector's HNSW indexes on the point column, one per distance of <see cref="GraphMetrics"/>.</summary>
    private void BuildGraphs(NpgsqlConnection connection)
    {
        foreach (var (suffix, ops) in GraphMetrics.Distinct().Select(m => m == DistanceMetric.Cosine ? ("cosine", "vector_cosine_ops") : ("l2", "vector_l2_ops")))
        {
            // No time limit: at a million codes the build takes minutes, far beyond Npgsql's default of 30 s.
            using var build = new NpgsqlCommand($"CREATE INDEX {_items}_{suffix} ON {_items} USING hnsw (point {ops}) WITH (m = {GraphLinks}, ef_construction = {GraphEfConstruction})", connection)
                { CommandTimeout = 0 };
            build.ExecuteNonQuery();
        }
        _graphsPending = false;
    }

    /// <summary>pgvector if the server has it, else cube for codes it can hold, else no server-side search (or only <paramref name="required"/>).</summary>
    private static string ChoosePointType(NpgsqlConnection connection, int codeSize, string? required)
    {
        if (required == "none") return "none";
        var available = new HashSet<string>();
        using (var query = new NpgsqlCommand("SELECT name FROM pg_available_extensions WHERE name IN ('vector', 'cube')", connection))
        using (var reader = query.ExecuteReader())
            while (reader.Read()) available.Add(reader.GetString(0));
        foreach (string extension in new[] { "vector", "cube" })
        {
            if (!available.Contains(extension) || (extension == "cube" && codeSize > CubeMaxDimensions) || (required is not null && extension != required)) continue;
            try
            {
                Execute(connection, $"CREATE EXTENSION IF NOT EXISTS {extension}");
                return extension;
            }
            catch (PostgresException)
            {
                // Not allowed to install it here: try the next one.
            }
        }
        return "none";
    }

    /// <inheritdoc/>
    public void Add(IReadOnlyList<StoredCode> items) => Run(connection =>
    {
        using NpgsqlTransaction? transaction = Own(connection);
        string point = _point switch
        {
            "vector" => ", $4::real[]::vector",
            "cube" => ", cube($4::float8[])",
            _ => "",
        };
        string columns = _point == "none" ? "id, metadata, code" : "id, metadata, code, point";
        using var insert = new NpgsqlCommand($"INSERT INTO {_items} ({columns}) VALUES ($1, $2::jsonb, $3{point})", connection);
        var id = new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text };
        var metadata = new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text };
        var code = new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bytea };
        var values = new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Real };
        insert.Parameters.AddRange(_point == "none" ? new[] { id, metadata, code } : new[] { id, metadata, code, values });
        insert.Prepare();
        foreach (StoredCode item in items)
        {
            id.Value = item.Id;
            metadata.Value = item.MetadataJson;
            code.Value = CodeBlob.ToBytes(item.Code);
            values.Value = item.Code;
            try
            {
                insert.ExecuteNonQuery();
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
            {
                throw new ArgumentException($"The index '{Location}' already holds an item with id '{item.Id}'; nothing of this batch was added.");
            }
        }
        transaction?.Commit();
        return 0;
    });

    /// <inheritdoc/>
    public ILatentStoreTransaction BeginTransaction()
    {
        if (_held is not null) throw new InvalidOperationException($"A transaction is already open on the index '{Location}'.");
        NpgsqlConnection connection = Translate(_source.OpenConnection);
        NpgsqlTransaction transaction;
        try
        {
            transaction = Translate(() => connection.BeginTransaction());
        }
        catch
        {
            connection.Dispose();
            throw;
        }
        (_held, _transaction) = (connection, transaction);
        return new StoreTransaction(() =>
        {
            Translate(() =>
            {
                if (_graphsPending) BuildGraphs(connection);
                transaction.Commit();
                return 0;
            });
            End();
        }, () =>
        {
            if (ReferenceEquals(_held, connection)) End();
        });
    }

    /// <summary>A transaction of its own for one call, or none inside an open scope.</summary>
    private NpgsqlTransaction? Own(NpgsqlConnection connection) => _held is null ? connection.BeginTransaction() : null;

    /// <summary>Closes the open scope; an uncommitted transaction is rolled back by closing its connection.</summary>
    private void End()
    {
        _graphsPending = false;
        _transaction?.Dispose();
        _held?.Dispose();
        _transaction = null;
        _held = null;
    }

    /// <inheritdoc/>
    public bool Remove(string id) => Run(connection =>
    {
        using var delete = new NpgsqlCommand($"DELETE FROM {_items} WHERE id = $1", connection);
        delete.Parameters.Add(new() { Value = id });
        return delete.ExecuteNonQuery() > 0;
    });

    /// <inheritdoc/>
    public IEnumerable<StoredCode> ReadAll()
    {
        var items = new List<StoredCode>();
        Run(connection =>
        {
            using var select = new NpgsqlCommand($"SELECT id, metadata::text, code FROM {_items} ORDER BY seq", connection);
            using var reader = select.ExecuteReader();
            while (reader.Read())
            {
                string id = reader.GetString(0);
                items.Add(new StoredCode(id, CodeBlob.FromBytes((byte[])reader.GetValue(2), _codeSize, id, Location), reader.GetString(1)));
            }
            return 0;
        });
        return items;
    }

    /// <summary>Whether the server searches by <paramref name="metric"/>: pgvector by either, cube by Euclidean distance only.</summary>
    public bool CanSearch(DistanceMetric metric) => _point == "vector" || (_point == "cube" && metric == DistanceMetric.Euclidean);

    /// <inheritdoc/>
    public long Count() => Run(connection =>
    {
        using var count = new NpgsqlCommand($"SELECT count(*) FROM {_items}", connection);
        return (long)count.ExecuteScalar()!;
    });

    /// <summary>
    /// The k items nearest to <paramref name="code"/>, found by the server, nearest first: id, distance and metadata JSON.
    /// pgvector walks its HNSW index exploring <paramref name="ef"/> candidates (<c>hnsw.ef_search</c>, at most 1,000);
    /// cube's GiST search is exact.
    /// </summary>
    /// <exception cref="IOException">The server cannot search by this metric (no pgvector, and cube cannot hold the codes or has no cosine).</exception>
    public IReadOnlyList<(string Id, float Distance, string MetadataJson)> Nearest(ReadOnlySpan<float> code, int k, DistanceMetric metric = DistanceMetric.Euclidean, int ef = 40)
    {
        // What the server has installed is the user's environment, not a bug here: an IOException (the store cannot do
        // this), which the command line reports as a user error, not NotSupportedException, which it reports as a bug.
        if (!CanSearch(metric))
            throw new IOException($"The server of '{Location}' cannot search these codes by {metric.ToString().ToLowerInvariant()} distance (it has {(_point == "none" ? "neither pgvector nor cube" : _point)}); search in memory instead.");
        if (code.Length != _codeSize) throw new ArgumentException($"The query code has {code.Length} values, but the index holds codes of {_codeSize}.");
        string target = _point == "vector" ? "$1::real[]::vector" : "cube($1::float8[])";
        string distance = metric == DistanceMetric.Cosine ? $"point <=> {target}" : $"point <-> {target}";
        float[] values = code.ToArray();
        return Run(connection =>
        {
            // One round trip: the search breadth and the search in one batch (the SET returns no rows, so the reader skips it).
            using var batch = new NpgsqlBatch(connection);
            if (_point == "vector") batch.BatchCommands.Add(new NpgsqlBatchCommand(string.Create(CultureInfo.InvariantCulture, $"SET hnsw.ef_search = {Math.Clamp(ef, 1, 1000)}")));
            // Ordered by the distance alone, so that the planner can walk the index.
            var select = new NpgsqlBatchCommand($"SELECT id, {distance} AS distance, metadata::text FROM {_items} ORDER BY {distance} LIMIT $2");
            select.Parameters.Add(new() { Value = values, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Real });
            select.Parameters.Add(new() { Value = k });
            batch.BatchCommands.Add(select);
            using var reader = batch.ExecuteReader();
            var hits = new List<(string, float, string)>();
            while (reader.Read()) hits.Add((reader.GetString(0), (float)reader.GetDouble(1), reader.GetString(2)));
            return hits;
        });
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        End();
        _source.Dispose();
    }

    /// <summary>Runs <paramref name="work"/> on the open scope's connection, or else on one of its own.</summary>
    private T Run<T>(Func<NpgsqlConnection, T> work) => Translate(() =>
    {
        if (_held is not null) return work(_held);
        using NpgsqlConnection connection = _source.OpenConnection();
        return work(connection);
    });

    /// <summary>The server's errors (other than a repeated id, which the caller reports) as <see cref="IOException"/>.</summary>
    private T Translate<T>(Func<T> work)
    {
        try
        {
            return work();
        }
        catch (NpgsqlException e) when (e is not PostgresException || ((PostgresException)e).SqlState != PostgresErrorCodes.UniqueViolation)
        {
            throw new IOException($"PostgreSQL at {Location}: {e.Message.TrimEnd('.')}.", e);
        }
    }

    private static void Execute(NpgsqlConnection connection, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    /// <summary>postgresql://user:password@host:port/database?key=value → Npgsql's key=value form.</summary>
    private static string FromUri(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out Uri? uri)) throw new ArgumentException($"'{text}' is not a valid PostgreSQL URI.");
        var builder = new NpgsqlConnectionStringBuilder { Host = uri.Host };
        if (uri.Port > 0) builder.Port = uri.Port;
        string[] user = Uri.UnescapeDataString(uri.UserInfo).Split(':', 2);
        if (user[0].Length > 0) builder.Username = user[0];
        if (user.Length == 2) builder.Password = user[1];
        string database = uri.AbsolutePath.Trim('/');
        if (database.Length > 0) builder.Database = Uri.UnescapeDataString(database);
        foreach (string pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] kv = pair.Split('=', 2);
            builder[Uri.UnescapeDataString(kv[0])] = kv.Length == 2 ? Uri.UnescapeDataString(kv[1]) : "";
        }
        return builder.ConnectionString;
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]*$")]
    private static partial Regex Identifier();
}
