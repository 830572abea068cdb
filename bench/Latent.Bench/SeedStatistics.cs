using System.Globalization;

namespace Latent.Bench;

/// <summary>
/// One figure measured once per seed: the mean, the population standard deviation (numpy's <c>np.std</c>, which
/// the reference scripts and the library's evaluations use, so that ± means the same on both sides) and the worst seed.
/// </summary>
internal sealed record SeedStatistics(IReadOnlyList<double> Values)
{
    public int Count => Values.Count;

    public double Mean => Values.Average();

    public double Std
    {
        get
        {
            double mean = Mean;
            return Math.Sqrt(Values.Average(v => (v - mean) * (v - mean)));
        }
    }

    /// <summary>The lowest value when higher is better, else the highest.</summary>
    public double Worst(bool higherIsBetter) => higherIsBetter ? Values.Min() : Values.Max();

    /// <summary>A result line with our mean over the seeds, their std and our worst seed (the last two only for several seeds).</summary>
    public BenchResult Result(string measure, string unit, bool higherIsBetter) => new(measure, Mean, unit, higherIsBetter)
    {
        Seeds = Count, OursStd = Count > 1 ? Std : null, OursWorst = Count > 1 ? Worst(higherIsBetter) : null,
    };

    /// <summary>"seed 0" or "seeds 0-4": the seeds 0..count−1 in a header.</summary>
    public static string Range(int count) => count == 1 ? "seed 0" : $"seeds 0-{count - 1}";

    /// <summary>"0.871 ± 0.012" (one seed: just the value).</summary>
    public string Format(string format = "F3") => Count == 1
        ? Mean.ToString(format, CultureInfo.InvariantCulture)
        : string.Create(CultureInfo.InvariantCulture, $"{Mean.ToString(format, CultureInfo.InvariantCulture)} ± {Std.ToString(format, CultureInfo.InvariantCulture)}");
}
