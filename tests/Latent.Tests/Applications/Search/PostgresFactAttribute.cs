namespace Latent.Tests.Applications.Search;

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
