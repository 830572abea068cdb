namespace Latent.Engine;

/// <summary>
/// How many cores the engine's kernels may use. Defaults to <c>LATENT_THREADS</c> when set,
/// else every core. Results are deterministic for a given seed and thread count.
/// </summary>
public static class Parallelism
{
    private static int _threads = FromEnvironment();

    /// <summary>Threads used by parallel kernels (at least 1).</summary>
    public static int Threads
    {
        get => _threads;
        set => _threads = value >= 1
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, "The thread count must be at least 1.");
    }

    private static int FromEnvironment()
    {
        string? text = Environment.GetEnvironmentVariable("LATENT_THREADS");
        if (string.IsNullOrWhiteSpace(text)) return Environment.ProcessorCount;
        return int.TryParse(text, out int n) && n >= 1
            ? n
            : throw new ArgumentException($"LATENT_THREADS must be a positive integer, not '{text}'.");   // a user's setting, not a bug
    }
}
