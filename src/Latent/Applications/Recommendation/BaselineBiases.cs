namespace Latent.Applications.Recommendation;

/// <summary>
/// The damped baseline r̂ = μ + b_u + b_i (b_i = Σ(r − μ)/(n_i + 25), then b_u = Σ(r − μ − b_i)/(n_u + 10), as the
/// reference script's bias baseline): what a recommender falls back to for a user or an item it has no ratings of.
/// </summary>
internal sealed class BaselineBiases(float mean, float[] userBias, float[] itemBias)
{
    private const float ItemDamping = 25f, UserDamping = 10f;

    public float Mean { get; } = mean;
    public float[] UserBias { get; } = userBias;
    public float[] ItemBias { get; } = itemBias;

    public static BaselineBiases Fit(RatingIndex ratings)
    {
        double mean = ratings.Value.Average(v => (double)v);
        var itemSum = new double[ratings.Items];
        var itemCount = new int[ratings.Items];
        for (int j = 0; j < ratings.Count; j++)
        {
            itemSum[ratings.Item[j]] += ratings.Value[j] - mean;
            itemCount[ratings.Item[j]]++;
        }
        float[] bi = [.. itemSum.Select((s, i) => (float)(s / (itemCount[i] + ItemDamping)))];
        var userSum = new double[ratings.Users];
        var userCount = new int[ratings.Users];
        for (int j = 0; j < ratings.Count; j++)
        {
            userSum[ratings.User[j]] += ratings.Value[j] - mean - bi[ratings.Item[j]];
            userCount[ratings.User[j]]++;
        }
        float[] bu = [.. userSum.Select((s, u) => (float)(s / (userCount[u] + UserDamping)))];
        return new BaselineBiases((float)mean, bu, bi);
    }

    /// <summary>μ + b_u + b_i, leaving out the bias of an unknown user or item (−1).</summary>
    public float Predict(int user, int item) => Mean + (user >= 0 ? UserBias[user] : 0f) + (item >= 0 ? ItemBias[item] : 0f);
}
