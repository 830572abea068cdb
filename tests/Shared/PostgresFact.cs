using Npgsql;

namespace Latent.TestData;

/// <summary>A test that needs a PostgreSQL server: skipped, saying why, when LATENT_TEST_POSTGRES is not set.</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public const string Variable = "LATENT_TEST_POSTGRES";

    public PostgresFactAttribute()
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(Variable)))
            Skip = $"{Variable} is not set: give it a PostgreSQL connection string to run this test (.ci/run starts a throwaway server and sets it).";
    }

    public static string ConnectionString => Environment.GetEnvironmentVariable(Variable)!;
}

/// <summary>A database of its own for one test on the server of <see cref="PostgresFactAttribute"/>, dropped (with every connection to it) afterwards.</summary>
internal sealed class PostgresDatabase : IDisposable
{
    private readonly string _name = "latent_test_" + Guid.NewGuid().ToString("N")[..12];

    public PostgresDatabase() => Execute($"CREATE DATABASE {_name}");

    /// <summary>The connection string of the new database.</summary>
    public string ConnectionString => new NpgsqlConnectionStringBuilder(PostgresFactAttribute.ConnectionString) { Database = _name, Pooling = false }.ConnectionString;

    /// <summary>The tables in the database's public schema.</summary>
    public string[] Tables()
    {
        using var connection = new NpgsqlConnection(ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename", connection);
        using var reader = command.ExecuteReader();
        var tables = new List<string>();
        while (reader.Read()) tables.Add(reader.GetString(0));
        return [.. tables];
    }

    /// <summary>Whether another session holds an open transaction that has written something in this database.</summary>
    public bool SomeoneIsWriting()
    {
        using var connection = new NpgsqlConnection(PostgresFactAttribute.ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND backend_xid IS NOT NULL", connection);
        command.Parameters.Add(new() { Value = _name });
        return (long)command.ExecuteScalar()! > 0;
    }

    public void Dispose() => Execute($"DROP DATABASE IF EXISTS {_name} WITH (FORCE)");

    private static void Execute(string sql)
    {
        using var connection = new NpgsqlConnection(PostgresFactAttribute.ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
