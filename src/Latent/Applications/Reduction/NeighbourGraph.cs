namespace Latent.Applications.Reduction;

/// <summary>
/// UMAP's fuzzy neighbour graph: each row's k nearest neighbours weighted exp(−(d − ρ) / σ), where ρ is the distance to
/// its nearest neighbour (so every row is fully connected to at least one other) and σ is set so that the weights sum
/// to log₂ k (every row sees a neighbourhood of the same effective size, whatever the local density); the two
/// directions of an edge are then joined by the fuzzy union a + b − ab. Held as a directed edge list with both
/// directions of every edge.
/// </summary>
internal sealed class NeighbourGraph
{
    private const int SearchSteps = 64;
    private const double Tolerance = 1e-5, MinScale = 1e-3;   // σ at least 1e-3 of the mean neighbour distance, as UMAP

    private NeighbourGraph(int[] heads, int[] tails, float[] weights)
    {
        Heads = heads;
        Tails = tails;
        Weights = weights;
    }

    public int[] Heads { get; }
    public int[] Tails { get; }
    public float[] Weights { get; }

    /// <summary>The graph of rows whose neighbours (themselves excluded) are <paramref name="indices"/>, [rows, k] nearest first.</summary>
    public static NeighbourGraph Build(int[] indices, float[] distances, int rows, int k)
    {
        float[] weights = Memberships(distances, rows, k);
        var heads = new List<int>(rows * k * 2);
        var tails = new List<int>(rows * k * 2);
        var joined = new List<float>(rows * k * 2);
        for (int i = 0; i < rows; i++)
            for (int a = 0; a < k; a++)
            {
                int j = indices[i * k + a];
                float w = weights[i * k + a], back = 0;
                int b = Array.IndexOf(indices, i, j * k, k);
                if (b >= 0)
                {
                    if (j < i) continue;   // the pair was joined when row j was visited
                    back = weights[b];
                }
                float union = w + back - w * back;
                if (union <= 0) continue;
                heads.Add(i); tails.Add(j); joined.Add(union);
                heads.Add(j); tails.Add(i); joined.Add(union);
            }
        return new NeighbourGraph([.. heads], [.. tails], [.. joined]);
    }

    /// <summary>Each row's membership weights exp(−max(0, d − ρ) / σ) of its k neighbours, [rows, k].</summary>
    public static float[] Memberships(float[] distances, int rows, int k)
    {
        var weights = new float[rows * k];
        double target = Math.Log2(k), mean = distances.Length == 0 ? 1 : distances.Average(d => (double)d);
        for (int i = 0; i < rows; i++)
        {
            ReadOnlySpan<float> d = distances.AsSpan(i * k, k);
            double rho = 0;
            foreach (float x in d)
                if (x > 0) { rho = x; break; }
            double sigma = Scale(d, rho, target);
            double rowMean = 0;
            foreach (float x in d) rowMean += x / (double)k;
            sigma = Math.Max(sigma, MinScale * (rho > 0 ? rowMean : mean));
            for (int j = 0; j < k; j++) weights[i * k + j] = (float)Math.Exp(-Math.Max(0, d[j] - rho) / sigma);
        }
        return weights;
    }

    /// <summary>σ by bisection (doubling while no upper bound is known) so that Σ exp(−max(0, d − ρ) / σ) = target.</summary>
    private static double Scale(ReadOnlySpan<float> distances, double rho, double target)
    {
        double low = 0, high = double.PositiveInfinity, sigma = 1;
        for (int step = 0; step < SearchSteps; step++)
        {
            double sum = 0;
            foreach (float d in distances) sum += Math.Exp(-Math.Max(0, d - rho) / sigma);
            if (Math.Abs(sum - target) < Tolerance) break;
            if (sum > target)
            {
                high = sigma;
                sigma = (low + high) / 2;
            }
            else
            {
                low = sigma;
                sigma = double.IsPositiveInfinity(high) ? sigma * 2 : (low + high) / 2;
            }
        }
        return sigma;
    }
}
