using Latent.Engine;
using Latent.Reporting;

namespace Latent.Applications.Clustering;

/// <summary>The result of <see cref="KMeans.Fit"/>: the centres [k, d], each row's cluster and the within-cluster sum of squares.</summary>
public sealed record KMeansResult(float[] Centers, int Clusters, int Dimensions, int[] Assignments, double Inertia);

/// <summary>
/// k-means with k-means++ seeding (Arthur and Vassilvitskii, 2007) and several restarts, keeping the one with the
/// least within-cluster sum of squares, as scikit-learn's KMeans does. Deterministic for a seed.
/// </summary>
public static class KMeans
{
    /// <exception cref="ArgumentException">The data is not [rows, d] with at least k rows, holds a non-finite value, or k &lt; 1.</exception>
    public static KMeansResult Fit(Tensor data, int k, int restarts = 10, int maxIterations = 300, ulong seed = 0)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Rank != 2 || data.Dim(0) < k) throw new ArgumentException($"k-means needs a matrix [rows, d] with at least k = {k} rows; got shape [{string.Join(", ", data.Shape)}].");
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(restarts, 1);
        float[] x = data.ToArray();
        if (Array.Exists(x, v => !float.IsFinite(v))) throw new ArgumentException("k-means needs finite values; the data holds NaN or infinity.");
        int n = data.Dim(0), d = data.Dim(1);
        var rng = new Rng(seed);
        KMeansResult? best = null;
        for (int r = 0; r < restarts; r++)
        {
            KMeansResult run = Lloyd(x, n, d, SeedCenters(x, n, d, k, rng), k, maxIterations);
            if (best is null || run.Inertia < best.Inertia) best = run;
        }
        return best!;
    }

    /// <summary>Each row's nearest centre.</summary>
    public static int[] Assign(Tensor data, KMeansResult model)
    {
        if (data.Rank != 2 || data.Dim(1) != model.Dimensions) throw new ArgumentException($"Expected rows of {Counted.Of(model.Dimensions, "value")}; got shape [{string.Join(", ", data.Shape)}].");
        float[] x = data.ToArray();
        var assignment = new int[data.Dim(0)];
        for (int i = 0; i < assignment.Length; i++) assignment[i] = Nearest(x.AsSpan(i * model.Dimensions, model.Dimensions), model.Centers, model.Clusters, out _);
        return assignment;
    }

    /// <summary>k-means++: each next centre drawn with probability proportional to the squared distance to the nearest chosen one.</summary>
    private static float[] SeedCenters(float[] x, int n, int d, int k, Rng rng)
    {
        var centers = new float[k * d];
        x.AsSpan(rng.NextInt(n) * d, d).CopyTo(centers);
        var nearest = new double[n];
        for (int i = 0; i < n; i++) nearest[i] = Squared(x.AsSpan(i * d, d), centers.AsSpan(0, d));
        for (int c = 1; c < k; c++)
        {
            double total = nearest.Sum(), target = rng.NextFloat() * total;
            int chosen = n - 1;
            for (int i = 0; i < n; i++)
            {
                target -= nearest[i];
                if (target < 0) { chosen = i; break; }
            }
            x.AsSpan(chosen * d, d).CopyTo(centers.AsSpan(c * d, d));
            for (int i = 0; i < n; i++) nearest[i] = Math.Min(nearest[i], Squared(x.AsSpan(i * d, d), centers.AsSpan(c * d, d)));
        }
        return centers;
    }

    private static KMeansResult Lloyd(float[] x, int n, int d, float[] centers, int k, int maxIterations)
    {
        var assignment = new int[n];
        var sums = new double[k * d];
        var counts = new int[k];
        double inertia = 0;
        for (int iteration = 0; iteration < maxIterations; iteration++)
        {
            bool changed = iteration == 0;
            inertia = 0;
            for (int i = 0; i < n; i++)
            {
                int c = Nearest(x.AsSpan(i * d, d), centers, k, out double distance);
                inertia += distance;
                if (c != assignment[i]) { assignment[i] = c; changed = true; }
            }
            if (!changed || iteration == maxIterations - 1) break;   // the assignments stay those of the returned centres
            Array.Clear(sums);
            Array.Clear(counts);
            for (int i = 0; i < n; i++)
            {
                counts[assignment[i]]++;
                for (int j = 0; j < d; j++) sums[assignment[i] * d + j] += x[i * d + j];
            }
            for (int c = 0; c < k; c++)
                if (counts[c] > 0)   // an empty cluster keeps its centre
                    for (int j = 0; j < d; j++) centers[c * d + j] = (float)(sums[c * d + j] / counts[c]);
        }
        return new KMeansResult(centers, k, d, assignment, inertia);
    }

    private static int Nearest(ReadOnlySpan<float> row, float[] centers, int k, out double distance)
    {
        int best = 0;
        distance = double.PositiveInfinity;
        for (int c = 0; c < k; c++)
        {
            double s = Squared(row, centers.AsSpan(c * row.Length, row.Length));
            if (s < distance) { distance = s; best = c; }
        }
        return best;
    }

    private static double Squared(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++) sum += (double)(a[i] - b[i]) * (a[i] - b[i]);
        return sum;
    }
}
