using System.Globalization;

namespace Latent.Bench;

/// <summary>The benchmarks' `--name=value` options.</summary>
internal static class BenchArgs
{
    public static int Int(string[] args, string name, int fallback)
    {
        string? value = args.FirstOrDefault(a => a.StartsWith(name + "=", StringComparison.Ordinal))?[(name.Length + 1)..];
        return value is null ? fallback
            : int.TryParse(value, CultureInfo.InvariantCulture, out int n) && n > 0 ? n
            : throw new ArgumentException($"{name} must be a positive whole number, not '{value}'.");
    }
}
