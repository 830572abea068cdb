namespace Latent.Applications.AnomalyDetection;

/// <summary>Flags against the truth, with "anomaly" as the positive class. Ratios with a zero denominator are 0.</summary>
public sealed record ConfusionMatrix(int TruePositives, int FalsePositives, int TrueNegatives, int FalseNegatives)
{
    /// <summary>All rows counted.</summary>
    public int Total => TruePositives + FalsePositives + TrueNegatives + FalseNegatives;

    /// <summary>Flagged rows that are anomalies.</summary>
    public double Precision => Ratio(TruePositives, TruePositives + FalsePositives);

    /// <summary>Anomalies that are flagged.</summary>
    public double Recall => Ratio(TruePositives, TruePositives + FalseNegatives);

    /// <summary>The harmonic mean of precision and recall.</summary>
    public double F1 => Ratio(2 * TruePositives, 2 * TruePositives + FalsePositives + FalseNegatives);

    /// <summary>Rows whose flag is right.</summary>
    public double Accuracy => Ratio(TruePositives + TrueNegatives, Total);

    /// <summary>Normal rows that are flagged.</summary>
    public double FalsePositiveRate => Ratio(FalsePositives, FalsePositives + TrueNegatives);

    /// <summary>Counts <paramref name="flags"/> against <paramref name="anomalous"/>.</summary>
    /// <exception cref="ArgumentException">The lists have different lengths.</exception>
    public static ConfusionMatrix Of(IReadOnlyList<bool> flags, IReadOnlyList<bool> anomalous)
    {
        if (flags.Count != anomalous.Count) throw new ArgumentException($"{flags.Count} flags for {anomalous.Count} labels.");
        int tp = 0, fp = 0, tn = 0, fn = 0;
        for (int i = 0; i < flags.Count; i++)
        {
            if (flags[i]) { if (anomalous[i]) tp++; else fp++; }
            else if (anomalous[i]) fn++;
            else tn++;
        }
        return new ConfusionMatrix(tp, fp, tn, fn);
    }

    private static double Ratio(int a, int b) => b == 0 ? 0 : (double)a / b;
}
