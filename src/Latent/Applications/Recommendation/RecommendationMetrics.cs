namespace Latent.Applications.Recommendation;

/// <summary>How well a ranking did for the users of a test set, averaged over those users.</summary>
/// <param name="K">How many top items were looked at.</param>
/// <param name="Precision">Share of the top k that are relevant.</param>
/// <param name="Recall">Share of a user's relevant items that made the top k.</param>
/// <param name="Ndcg">Normalised discounted cumulative gain of the top k (binary relevance, log₂ discount).</param>
/// <param name="HitRate">Share of users with at least one relevant item in their top k.</param>
/// <param name="Users">How many users were scored (those with a relevant test item and training rows).</param>
public sealed record RankingMetrics(int K, double Precision, double Recall, double Ndcg, double HitRate, int Users);

/// <summary>Error and ranking measures for recommendations.</summary>
public static class RecommendationMetrics
{
    /// <summary>Root mean squared error.</summary>
    /// <exception cref="ArgumentException">The lists differ in length or are empty.</exception>
    public static double Rmse(IReadOnlyList<float> predicted, IReadOnlyList<float> actual) => Math.Sqrt(MeanOf(predicted, actual, d => d * d));

    /// <summary>Mean absolute error.</summary>
    /// <exception cref="ArgumentException">The lists differ in length or are empty.</exception>
    public static double Mae(IReadOnlyList<float> predicted, IReadOnlyList<float> actual) => MeanOf(predicted, actual, Math.Abs);

    private static double MeanOf(IReadOnlyList<float> predicted, IReadOnlyList<float> actual, Func<double, double> of)
    {
        ArgumentNullException.ThrowIfNull(predicted);
        ArgumentNullException.ThrowIfNull(actual);
        if (predicted.Count != actual.Count || predicted.Count == 0)
            throw new ArgumentException($"Errors need as many predictions as ratings, at least one; got {predicted.Count} and {actual.Count}.");
        double sum = 0;
        for (int i = 0; i < predicted.Count; i++) sum += of((double)predicted[i] - actual[i]);
        return sum / predicted.Count;
    }

    /// <summary>
    /// Precision, recall, NDCG and hit of one user's top-k list against the user's relevant items.
    /// </summary>
    /// <param name="top">The recommended items, best first (at most k are looked at).</param>
    /// <param name="relevant">The items that count as right (e.g. rated 4 or more in the test set); at least one.</param>
    /// <param name="k">The cut-off.</param>
    /// <exception cref="ArgumentException">No relevant items, or k is less than 1.</exception>
    public static (double Precision, double Recall, double Ndcg, bool Hit) AtK<T>(IReadOnlyList<T> top, IReadOnlySet<T> relevant, int k)
    {
        ArgumentNullException.ThrowIfNull(top);
        ArgumentNullException.ThrowIfNull(relevant);
        if (k < 1) throw new ArgumentException($"k must be at least 1, not {k}.");
        if (relevant.Count == 0) throw new ArgumentException("Ranking measures need at least one relevant item.");
        int hits = 0;
        double dcg = 0, ideal = 0;
        for (int r = 0; r < Math.Min(k, top.Count); r++)
        {
            if (!relevant.Contains(top[r])) continue;
            hits++;
            dcg += 1 / Math.Log2(r + 2);
        }
        for (int r = 0; r < Math.Min(k, relevant.Count); r++) ideal += 1 / Math.Log2(r + 2);
        return ((double)hits / k, (double)hits / relevant.Count, dcg / ideal, hits > 0);
    }
}
