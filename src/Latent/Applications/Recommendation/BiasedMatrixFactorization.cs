using Latent.Engine;

namespace Latent.Applications.Recommendation;

/// <summary>
/// Biased matrix factorisation trained as Surprise's SVD algorithm is (the reference script re-implements the same rule):
/// r̂ = μ + b_u + b_i + q_i·p_u, plain SGD over the shuffled ratings, for each rating e = r − r̂ and
/// b_u += lr(e − reg·b_u), b_i += lr(e − reg·b_i), p_u += lr(e·q_i − reg·p_u), q_i += lr(e·p_u − reg·q_i),
/// factors drawn from N(0, 0.1). Built in as a baseline and as an ensemble member.
/// </summary>
internal sealed class BiasedMatrixFactorization
{
    public BiasedMatrixFactorization(float mean, float[] userBias, float[] itemBias, float[] userFactors, float[] itemFactors, int factors)
    {
        Mean = mean;
        UserBias = userBias;
        ItemBias = itemBias;
        UserFactors = userFactors;
        ItemFactors = itemFactors;
        Factors = factors;
    }

    public float Mean { get; }
    public float[] UserBias { get; }
    public float[] ItemBias { get; }
    public float[] UserFactors { get; }
    public float[] ItemFactors { get; }
    public int Factors { get; }

    public static BiasedMatrixFactorization Fit(RatingIndex ratings, MatrixFactorizationOptions options, ulong seed, CancellationToken cancel = default)
    {
        int k = options.Factors;
        var rng = new Rng(seed);
        float mean = ratings.Value.Average();
        var p = new float[ratings.Users * k];
        var q = new float[ratings.Items * k];
        rng.FillNormal(p, 0f, 0.1f);
        rng.FillNormal(q, 0f, 0.1f);
        var bu = new float[ratings.Users];
        var bi = new float[ratings.Items];
        float lr = options.LearningRate, reg = options.Regularization;
        for (int epoch = 0; epoch < options.Epochs; epoch++)
        {
            cancel.ThrowIfCancellationRequested();
            foreach (int j in rng.Permutation(ratings.Count))
            {
                int u = ratings.User[j], i = ratings.Item[j];
                Span<float> pu = p.AsSpan(u * k, k), qi = q.AsSpan(i * k, k);
                float error = ratings.Value[j] - (mean + bu[u] + bi[i] + System.Numerics.Tensors.TensorPrimitives.Dot(pu, qi));
                bu[u] += lr * (error - reg * bu[u]);
                bi[i] += lr * (error - reg * bi[i]);
                for (int f = 0; f < k; f++)
                {
                    float pf = pu[f];
                    pu[f] += lr * (error * qi[f] - reg * pf);
                    qi[f] += lr * (error * pf - reg * qi[f]);
                }
            }
        }
        return new BiasedMatrixFactorization(mean, bu, bi, p, q, k);
    }

    public float Predict(int user, int item) =>
        Mean + UserBias[user] + ItemBias[item] + System.Numerics.Tensors.TensorPrimitives.Dot(UserFactors.AsSpan(user * Factors, Factors), ItemFactors.AsSpan(item * Factors, Factors));
}
