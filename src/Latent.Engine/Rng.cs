using System.Numerics;

namespace Latent.Engine;

/// <summary>
/// The engine's one seeded random source (xoshiro256**, seeded through SplitMix64): uniform, normal and
/// permutations. The same seed gives the same sequence on every machine and .NET version. Not thread-safe:
/// give each thread its own, or use <see cref="Fork"/>.
/// </summary>
public sealed class Rng
{
    private ulong _s0, _s1, _s2, _s3;
    private float _spareNormal;
    private bool _hasSpare;

    /// <summary>A source whose sequence is fixed by <paramref name="seed"/>.</summary>
    public Rng(ulong seed)
    {
        ulong x = seed;
        _s0 = SplitMix(ref x); _s1 = SplitMix(ref x); _s2 = SplitMix(ref x); _s3 = SplitMix(ref x);
    }

    /// <summary>A process-wide default source (seed 0) for code that is not given one; reseed it with <see cref="Reseed"/>.</summary>
    public static Rng Default { get; private set; } = new(0);

    /// <summary>Replaces <see cref="Default"/> with a source seeded by <paramref name="seed"/>.</summary>
    public static void Reseed(ulong seed) => Default = new Rng(seed);

    /// <summary>An independent source derived from this one (for another thread or component).</summary>
    public Rng Fork() => new(NextUInt64());

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        ulong result = BitOperations.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0; _s3 ^= _s1; _s1 ^= _s2; _s0 ^= _s3;
        _s2 ^= t;
        _s3 = BitOperations.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1), with 24 random bits.</summary>
    public float NextFloat() => (NextUInt64() >> 40) * (1f / (1 << 24));

    /// <summary>Uniform integer in [0, n), without modulo bias.</summary>
    public int NextInt(int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n);
        ulong bound = (ulong)n, threshold = (0UL - bound) % bound;
        while (true)
        {
            ulong r = NextUInt64();
            ulong hi = Math.BigMul(r, bound, out ulong lo);
            if (lo >= threshold) return (int)hi;
        }
    }

    /// <summary>Standard normal (Box–Muller; the second value of each pair is kept for the next call).</summary>
    public float NextNormal()
    {
        if (_hasSpare)
        {
            _hasSpare = false;
            return _spareNormal;
        }
        double u1 = ((NextUInt64() >> 11) + 1) * (1.0 / (1UL << 53)); // (0, 1]: log is finite
        double u2 = (NextUInt64() >> 11) * (1.0 / (1UL << 53));
        double r = Math.Sqrt(-2.0 * Math.Log(u1));
        _spareNormal = (float)(r * Math.Sin(2 * Math.PI * u2));
        _hasSpare = true;
        return (float)(r * Math.Cos(2 * Math.PI * u2));
    }

    /// <summary>Fills <paramref name="values"/> with draws from U(low, high).</summary>
    public void FillUniform(Span<float> values, float low, float high)
    {
        float width = high - low;
        for (int i = 0; i < values.Length; i++) values[i] = low + width * NextFloat();
    }

    /// <summary>Fills <paramref name="values"/> with draws from N(mean, std²).</summary>
    public void FillNormal(Span<float> values, float mean, float std)
    {
        for (int i = 0; i < values.Length; i++) values[i] = mean + std * NextNormal();
    }

    /// <summary>Puts the values of <paramref name="values"/> in a uniformly random order, in place (Fisher–Yates).</summary>
    public void Shuffle(Span<int> values)
    {
        for (int i = values.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (values[i], values[j]) = (values[j], values[i]);
        }
    }

    /// <summary>A random permutation of 0..n−1.</summary>
    public int[] Permutation(int n)
    {
        var order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Shuffle(order);
        return order;
    }

    private static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
