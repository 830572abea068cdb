using Latent.Applications.Search;
using Latent.Engine;
using Latent.Models;

namespace Latent.Tests.Applications.Search;

/// <summary>Random codes and a naive k-NN oracle for the search tests.</summary>
internal static class SearchTestData
{
    public static float[] Gaussian(int rows, int dim, int seed)
    {
        var random = new Random(seed);
        var values = new float[rows * dim];
        for (int i = 0; i < values.Length; i++) values[i] = (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
        return values;
    }

    /// <summary>Rows around <paramref name="clusters"/> random centres, with noise a tenth of the centres' spread.</summary>
    public static float[] Clustered(int rows, int dim, int clusters, int centreSeed, int noiseSeed)
    {
        float[] centres = Gaussian(clusters, dim, centreSeed), noise = Gaussian(rows, dim, noiseSeed);
        var random = new Random(noiseSeed + 1);
        var values = new float[rows * dim];
        for (int r = 0; r < rows; r++)
        {
            int c = random.Next(clusters);
            for (int j = 0; j < dim; j++) values[r * dim + j] = centres[c * dim + j] + 0.1f * noise[r * dim + j];
        }
        return values;
    }

    /// <summary>The k nearest rows of the query by a double-precision loop over every row, as (distance, row), ties by row.</summary>
    public static (double Distance, int Row)[] Naive(float[] rows, int dim, ReadOnlySpan<float> query, int k, DistanceMetric metric)
    {
        int n = rows.Length / dim;
        var all = new (double, int)[n];
        double queryNorm = Math.Sqrt(Dot(query, query));
        for (int r = 0; r < n; r++)
        {
            ReadOnlySpan<float> row = rows.AsSpan(r * dim, dim);
            double d;
            if (metric == DistanceMetric.Euclidean)
            {
                double sum = 0;
                for (int j = 0; j < dim; j++) sum += (double)(row[j] - query[j]) * (row[j] - query[j]);
                d = Math.Sqrt(sum);
            }
            else
            {
                double norm = Math.Sqrt(Dot(row, row));
                d = norm == 0 || queryNorm == 0 ? 1 : 1 - Dot(row, query) / (norm * queryNorm);
            }
            all[r] = (d, r);
        }
        Array.Sort(all);
        return all[..Math.Min(k, n)];
    }

    private static double Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++) sum += (double)a[i] * b[i];
        return sum;
    }

    /// <summary>A small untrained dense autoencoder; the seed decides its weights and so its fingerprint.</summary>
    public static DenseAutoencoder Model(int inputs = 12, int code = 4, ulong seed = 1) =>
        new(new DenseAutoencoderConfig { Inputs = inputs, Hidden = [16], CodeSize = code, Seed = seed });

    public static string[] Ids(int count, string prefix = "item") => [.. Enumerable.Range(0, count).Select(i => $"{prefix}{i}")];

    public static Tensor Rows(float[] values, int dim) => Tensor.FromArray(values, values.Length / dim, dim);
}
