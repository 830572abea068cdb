namespace Latent.Bench.Reporting;

/// <summary>
/// The one median of the benchmarks, the reference scripts' <c>common.median</c>: the middle value, or the mean of the
/// two middle values of an even count. Applied to both sides of every comparison and to repeated runs.
/// </summary>
public static class MedianRule
{
    /// <summary>The median of <paramref name="values"/>; NaN for none.</summary>
    public static double Of(IEnumerable<double> values)
    {
        double[] sorted = [.. values.Order()];
        int n = sorted.Length;
        return n == 0 ? double.NaN : n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
    }
}
