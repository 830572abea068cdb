using System.Globalization;
using Latent.Data;

namespace Latent.Applications.AnomalyDetection;

/// <summary>How a detector's threshold is chosen.</summary>
public enum ThresholdKind
{
    /// <summary>An unsupervised rule needing no guess (see <see cref="ThresholdRule.Auto"/>).</summary>
    Auto,
    /// <summary>Flag this fraction of the rows the detector was fitted on.</summary>
    Contamination,
    /// <summary>Flag this fraction of held-out normal rows.</summary>
    FalsePositiveRate,
    /// <summary>A score given by the user.</summary>
    Fixed,
}

/// <summary>
/// The rule that turns scores into flags: a row is flagged when its score is above the threshold the rule picks.
/// <code>
/// new AnomalyOptions { Threshold = ThresholdRule.FalsePositiveRate(0.01) }   // 1% of normal rows flagged
/// </code>
/// </summary>
public sealed record ThresholdRule
{
    /// <summary>Tukey's far-out fence is 3 interquartile ranges beyond the upper quartile.</summary>
    private const double FenceWidth = 3;

    private ThresholdRule(ThresholdKind kind, double value)
    {
        Kind = kind;
        Value = value;
    }

    /// <summary>Which rule this is.</summary>
    public ThresholdKind Kind { get; }

    /// <summary>The fraction or score the rule was given (0 for <see cref="ThresholdKind.Auto"/>).</summary>
    public double Value { get; }

    /// <summary>
    /// The unsupervised rule: Tukey's fence for far-out values on the scores of the fitted rows,
    /// threshold = Q3 + 3·(Q3 − Q1) with Q1, Q3 their quartiles. Quartiles ignore the anomalies hidden among the
    /// fitted rows as long as they are fewer than a quarter of them, and the fence flags only rows far beyond the
    /// bulk; on the ODDS tables it flags 1–7% of normal rows.
    /// </summary>
    public static ThresholdRule Auto { get; } = new(ThresholdKind.Auto, 0);

    /// <summary>Flags the <paramref name="fraction"/> of the fitted rows with the highest scores (the expected share of anomalies).</summary>
    public static ThresholdRule Contamination(double fraction) =>
        fraction > 0 && fraction < 0.5 ? new(ThresholdKind.Contamination, fraction)
            : throw new ArgumentException($"The contamination must be a fraction between 0 and 0.5, not {Format(fraction)}.");

    /// <summary>
    /// Flags <paramref name="rate"/> of normal rows: the threshold is that quantile of the scores of normal rows held
    /// out from training (<see cref="AnomalyOptions.CalibrationFraction"/>), so the fitted rows should all be normal.
    /// </summary>
    public static ThresholdRule FalsePositiveRate(double rate) =>
        rate > 0 && rate < 0.5 ? new(ThresholdKind.FalsePositiveRate, rate)
            : throw new ArgumentException($"The false-positive rate must be a fraction between 0 and 0.5, not {Format(rate)}.");

    /// <summary>Flags rows whose score is above <paramref name="score"/> (1 is the median score of the fitted rows).</summary>
    public static ThresholdRule Fixed(double score) =>
        double.IsFinite(score) && score >= 0 ? new(ThresholdKind.Fixed, score)
            : throw new ArgumentException($"A fixed threshold must be a score of at least 0, not {Format(score)}.");

    /// <summary>The rule of a kind and value as stored in a detector file.</summary>
    internal static ThresholdRule Of(ThresholdKind kind, double value) => kind switch
    {
        ThresholdKind.Contamination => Contamination(value),
        ThresholdKind.FalsePositiveRate => FalsePositiveRate(value),
        ThresholdKind.Fixed => Fixed(value),
        _ => Auto,
    };

    /// <summary>The threshold for scores of the fitted rows and, for a false-positive rate, of held-out normal rows.</summary>
    internal float Resolve(ReadOnlySpan<float> fitted, ReadOnlySpan<float> heldOut) => Kind switch
    {
        ThresholdKind.Fixed => (float)Value,
        ThresholdKind.Contamination => Quantile(fitted, 1 - Value),
        ThresholdKind.FalsePositiveRate => Quantile(heldOut, 1 - Value),
        _ => Fence(fitted),
    };

    private static float Fence(ReadOnlySpan<float> scores)
    {
        double[] sorted = Sorted(scores);
        double q1 = RobustScaler.Percentile(sorted, 0.25), q3 = RobustScaler.Percentile(sorted, 0.75);
        return (float)(q3 + FenceWidth * (q3 - q1));
    }

    /// <summary>The <paramref name="p"/>-quantile, interpolating linearly between sorted scores.</summary>
    private static float Quantile(ReadOnlySpan<float> scores, double p) => (float)RobustScaler.Percentile(Sorted(scores), p);

    private static double[] Sorted(ReadOnlySpan<float> scores)
    {
        // A bug, not bad input: Fit holds out and scores at least one window (or two rows) for every rule it resolves.
        if (scores.IsEmpty) throw new InvalidOperationException("There are no scores to set the threshold from.");
        var sorted = new double[scores.Length];
        for (int i = 0; i < sorted.Length; i++) sorted[i] = scores[i];
        Array.Sort(sorted);
        return sorted;
    }

    /// <summary>"auto", "contamination 0.05", "false-positive rate 0.01" or "fixed 3.5".</summary>
    public override string ToString() => Kind switch
    {
        ThresholdKind.Contamination => $"contamination {Format(Value)}",
        ThresholdKind.FalsePositiveRate => $"false-positive rate {Format(Value)}",
        ThresholdKind.Fixed => $"fixed {Format(Value)}",
        _ => "auto",
    };

    private static string Format(double v) => v.ToString("G6", CultureInfo.InvariantCulture);
}
