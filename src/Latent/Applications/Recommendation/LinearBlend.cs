namespace Latent.Applications.Recommendation;

/// <summary>
/// How the explicit recommender combines its members' predictions: r̂ = w₀ + Σ w_m·p_m. The weights are fitted by least
/// squares on ratings the members did not train on (stacking), with a small ridge penalty that keeps the solution
/// unique when members predict almost alike; weights may be negative (a member can correct another's bias).
/// </summary>
internal static class LinearBlend
{
    /// <summary>Ridge penalty per held-out rating: negligible against the members' squared predictions (1 to 25 per rating).</summary>
    private const double RidgePerRating = 1e-3;

    /// <summary>The weights [w₀, w₁, …] that best map the inputs (one row per rating: the members' predictions) to the ratings.</summary>
    public static float[] Fit(float[][] predictions, ReadOnlySpan<float> ratings)
    {
        int n = ratings.Length, d = predictions[0].Length + 1;
        var gram = new double[d, d];
        var moment = new double[d];
        var row = new double[d];
        for (int r = 0; r < n; r++)
        {
            row[0] = 1;
            for (int m = 1; m < d; m++) row[m] = predictions[r][m - 1];
            for (int a = 0; a < d; a++)
            {
                moment[a] += row[a] * ratings[r];
                for (int b = 0; b <= a; b++) gram[a, b] += row[a] * row[b];
            }
        }
        for (int a = 0; a < d; a++) gram[a, a] += RidgePerRating * n;
        return [.. SolveSymmetric(gram, moment).Select(w => (float)w)];
    }

    /// <summary>w₀ + Σ w_m·p_m.</summary>
    public static float Apply(float[] weights, ReadOnlySpan<float> predictions)
    {
        float sum = weights[0];
        for (int m = 0; m < predictions.Length; m++) sum += weights[m + 1] * predictions[m];
        return sum;
    }

    /// <summary>Solves A·x = b for a symmetric positive definite A given by its lower triangle (Cholesky).</summary>
    private static double[] SolveSymmetric(double[,] a, double[] b)
    {
        int d = b.Length;
        var l = new double[d, d];
        for (int i = 0; i < d; i++)
            for (int j = 0; j <= i; j++)
            {
                double sum = a[i, j];
                for (int k = 0; k < j; k++) sum -= l[i, k] * l[j, k];
                l[i, j] = i == j ? Math.Sqrt(sum) : sum / l[j, j];
            }
        var y = new double[d];
        for (int i = 0; i < d; i++)
        {
            double sum = b[i];
            for (int k = 0; k < i; k++) sum -= l[i, k] * y[k];
            y[i] = sum / l[i, i];
        }
        var x = new double[d];
        for (int i = d - 1; i >= 0; i--)
        {
            double sum = y[i];
            for (int k = i + 1; k < d; k++) sum -= l[k, i] * x[k];
            x[i] = sum / l[i, i];
        }
        return x;
    }
}
