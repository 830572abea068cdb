namespace Latent.Storage;

/// <summary>Opens the store a user names: a PostgreSQL connection string (<c>Host=…</c>, or a <c>postgresql://</c> URI), else an SQLite file.</summary>
public static class LatentStores
{
    /// <summary>Whether <paramref name="location"/> names a PostgreSQL server rather than a file.</summary>
    public static bool IsPostgres(string location) =>
        location.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase) || location.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
        || (location.Contains('=') && location.Contains("host", StringComparison.OrdinalIgnoreCase));

    /// <param name="location">An SQLite file path or a PostgreSQL connection string.</param>
    /// <param name="create">Create the SQLite file when it does not exist (an existing index is opened as it is).</param>
    public static ILatentStore Open(string location, bool create) =>
        IsPostgres(location) ? new PostgresLatentStore(location) : new SqliteLatentStore(location, create);
}
