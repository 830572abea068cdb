namespace Latent.Applications.AnomalyDetection;

/// <summary>How well scores rank anomalies above normal rows, independent of any threshold.</summary>
public static class AnomalyMetrics
{
    /// <summary>
    /// Area under the ROC curve: the probability that a random anomaly scores above a random normal row, ties
    /// counting half (the Mann–Whitney statistic, computed from average ranks).
    /// </summary>
    /// <exception cref="ArgumentException">The lists differ in length, a score is NaN, or one class is absent.</exception>
    public static double RocAuc(IReadOnlyList<float> scores, IReadOnlyList<bool> anomalous)
    {
        int[] order = Ordered(scores, anomalous, descending: false);
        long positives = anomalous.Count(a => a), negatives = anomalous.Count - positives;
        double rankSum = 0;
        for (int i = 0; i < order.Length;)
        {
            int j = i;
            while (j + 1 < order.Length && scores[order[j + 1]] == scores[order[i]]) j++;
            double averageRank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++)
                if (anomalous[order[k]]) rankSum += averageRank;
            i = j + 1;
        }
        return (rankSum - positives * (positives + 1) / 2.0) / ((double)positives * negatives);
    }

    /// <summary>
    /// Area under the precision–recall curve as average precision (scikit-learn's definition):
    /// Σₙ (Rₙ − Rₙ₋₁)·Pₙ over the distinct score thresholds from the highest down. A random ranking gives about the
    /// share of anomalies.
    /// </summary>
    /// <exception cref="ArgumentException">The lists differ in length, a score is NaN, or one class is absent.</exception>
    public static double AveragePrecision(IReadOnlyList<float> scores, IReadOnlyList<bool> anomalous)
    {
        int[] order = Ordered(scores, anomalous, descending: true);
        int positives = anomalous.Count(a => a);
        double sum = 0, previousRecall = 0;
        int truePositives = 0;
        for (int i = 0; i < order.Length;)
        {
            int j = i;
            while (j + 1 < order.Length && scores[order[j + 1]] == scores[order[i]]) j++;
            for (int k = i; k <= j; k++)
                if (anomalous[order[k]]) truePositives++;
            double recall = (double)truePositives / positives, precision = (double)truePositives / (j + 1);
            sum += (recall - previousRecall) * precision;
            previousRecall = recall;
            i = j + 1;
        }
        return sum;
    }

    private static int[] Ordered(IReadOnlyList<float> scores, IReadOnlyList<bool> anomalous, bool descending)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(anomalous);
        if (scores.Count != anomalous.Count) throw new ArgumentException($"{scores.Count} scores for {anomalous.Count} labels.");
        if (scores.Any(float.IsNaN)) throw new ArgumentException("A score is NaN.");
        int positives = anomalous.Count(a => a);
        if (positives == 0 || positives == anomalous.Count)
            throw new ArgumentException($"Ranking metrics need both normal rows and anomalies; the labels hold {(positives == 0 ? "no anomalies" : "only anomalies")}.");
        int[] order = [.. Enumerable.Range(0, scores.Count)];
        float[] keys = [.. scores];
        Array.Sort(keys, order);
        if (descending) Array.Reverse(order);
        return order;
    }
}
