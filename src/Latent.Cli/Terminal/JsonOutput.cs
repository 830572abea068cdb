using System.Text.Json;

namespace Latent.Cli.Terminal;

/// <summary>Prints a command's results as one JSON object (for --json), with snake_case keys.</summary>
internal static class JsonOutput
{
    private static readonly JsonSerializerOptions Options = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static void Print(object value) => Console.WriteLine(JsonSerializer.Serialize(value, Options));
}
