using System.Globalization;

namespace Latent.Bench;

/// <summary>Reads the benchmarks' <c>--name=value</c> options.</summary>
internal static class BenchOptions
{
    public static int Int(string[] args, string name, int fallback)
    {
        string? value = Value(args, name);
        return value is null ? fallback
            : int.TryParse(value, CultureInfo.InvariantCulture, out int n) && n > 0 ? n
            : throw new ArgumentException($"{name} must be a positive whole number, not '{value}'.");
    }

    public static float Float(string[] args, string name, float fallback)
    {
        string? value = Value(args, name);
        return value is null ? fallback
            : float.TryParse(value, CultureInfo.InvariantCulture, out float f) && f > 0 ? f
            : throw new ArgumentException($"{name} must be a positive number, not '{value}'.");
    }

    public static string? Value(string[] args, string name) =>
        args.FirstOrDefault(a => a.StartsWith(name + "=", StringComparison.Ordinal))?[(name.Length + 1)..];
}
