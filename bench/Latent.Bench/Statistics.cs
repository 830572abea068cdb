using Latent.Training;

namespace Latent.Bench;

/// <summary>
/// The statistics that summarise repeated measurements, with the rules of the reference scripts' <c>common.py</c>, so
/// that both sides of a comparison are summarised the same way (applied here to the reference's raw numbers too).
/// </summary>
internal static class Statistics
{
    /// <summary>
    /// Training throughput as every reference script reports it: rows per epoch / the median epoch time of epochs 2..N
    /// (epoch 1 alone when there is one). The first epoch pays for warm-up (.NET's JIT, oneDNN's kernel choice) on
    /// both sides. Computed from times, not by taking the median of per-epoch rates: with an even count the two differ.
    /// </summary>
    public static double TrainingSpeed(int rows, IReadOnlyList<double> epochSeconds)
    {
        if (epochSeconds.Count == 0) throw new ArgumentException("There are no epoch times.");
        return rows / (epochSeconds.Count == 1 ? epochSeconds[0] : MedianRule.Of(epochSeconds.Skip(1)));
    }

    /// <summary>
    /// <see cref="TrainingSpeed(int, IReadOnlyList{double})"/> of one of our trainings (an epoch's rows are its samples/s ×
    /// its seconds, which spares repeating how the training loop splits off validation rows).
    /// </summary>
    public static double TrainingSpeed(IReadOnlyList<EpochReport> epochs) =>
        TrainingSpeed((int)Math.Round(epochs[0].SamplesPerSecond * epochs[0].Seconds), [.. epochs.Select(e => e.Seconds)]);

    /// <summary>The value at rank ⌊p·n⌋ of the sorted values (dense_ae.py's p10 and p90 of its latencies).</summary>
    public static double Percentile(IEnumerable<double> values, double p)
    {
        double[] sorted = [.. values.Order()];
        return sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];
    }

    /// <summary>The mean and the population standard deviation (numpy's <c>np.std</c>; see <see cref="SeedStatistics"/>).</summary>
    public static (double Mean, double Std) MeanStd(IReadOnlyCollection<double> values)
    {
        if (values.Count == 0) return (double.NaN, double.NaN);
        var statistics = new SeedStatistics([.. values]);
        return (statistics.Mean, statistics.Std);
    }
}
