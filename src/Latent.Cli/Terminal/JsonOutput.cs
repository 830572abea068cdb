using System.Text.Json;
using System.Text.Json.Serialization;

namespace Latent.Cli.Terminal;

/// <summary>
/// Prints a command's results as one JSON object (for --json), with snake_case keys. A number that is not finite (the
/// loss of a run gone wrong) is written as null: JSON has no NaN or infinity.
/// </summary>
internal static class JsonOutput
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new FiniteOrNull<double>(double.IsFinite, (w, v) => w.WriteNumberValue(v)), new FiniteOrNull<float>(float.IsFinite, (w, v) => w.WriteNumberValue(v)) },
    };

    public static void Print(object value) => Console.WriteLine(Format(value));

    public static string Format(object value) => JsonSerializer.Serialize(value, Options);

    private sealed class FiniteOrNull<T>(Func<T, bool> isFinite, Action<Utf8JsonWriter, T> write) : JsonConverter<T>
    {
        public override bool HandleNull => false;

        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => throw new NotSupportedException("JsonOutput only writes.");

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options)
        {
            if (isFinite(value)) write(writer, value);
            else writer.WriteNullValue();
        }
    }
}
