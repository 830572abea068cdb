using Latent.Applications.Clustering;
using Latent.Applications.Reduction;
using Latent.Engine;

namespace Latent.Tests.Applications;

public class NeighbourEmbeddingTests
{
    [Fact]
    public void WellSeparatedBlobsStaySeparatedAndNeighboursStayNeighbours()
    {
        var (data, truth) = Blobs(400, k: 5, dimensions: 10, spread: 1f, seed: 4);
        NeighbourEmbedding map = NeighbourEmbedding.Fit(data, new NeighbourEmbeddingOptions { Dimensions = 2, Seed = 1 });
        using Tensor points = map.Points;
        Assert.Equal([400, 2], points.Shape);
        Assert.Equal(1, ClusteringMetrics.Accuracy(KMeans.Fit(points, 5, seed: 1).Assignments, truth), 12);
        // Trustworthiness (Venna and Kaski): 1 when every row's 10 nearest in the map are among its 10 nearest in the data.
        double trust = Trustworthiness(data, points, 10);
        Assert.True(trust > 0.9, $"trustworthiness {trust:F3}");
    }

    [Fact]
    public void TheSameSeedGivesTheSameMapAndFittedRowsKeepTheirPlaces()
    {
        var (data, _) = Blobs(150, k: 3, dimensions: 4, spread: 0.5f, seed: 2);
        var options = new NeighbourEmbeddingOptions { Dimensions = 3, Neighbours = 10, Epochs = 50, Seed = 7 };
        NeighbourEmbedding map = NeighbourEmbedding.Fit(data, options);
        Assert.Equal(map.Points.ToArray(), NeighbourEmbedding.Fit(data, options).Points.ToArray());
        Assert.Equal(map.Points.ToArray(), map.Transform(data).ToArray());
    }

    [Fact]
    public void ANewRowLandsAmongTheRowsItResembles()
    {
        var (data, truth) = Blobs(300, k: 3, dimensions: 6, spread: 0.5f, seed: 3);
        NeighbourEmbedding map = NeighbourEmbedding.Fit(data, new NeighbourEmbeddingOptions { Dimensions = 2, Seed = 1 });
        float[] points = map.Points.ToArray();
        for (int blob = 0; blob < 3; blob++)
        {
            // A fresh row: the blob's first member nudged a little.
            int member = Array.IndexOf(truth, blob);
            using Tensor fresh = Tensor.FromArray([.. data.ToArray().AsSpan(member * 6, 6).ToArray().Select(v => v + 0.05f)], 1, 6);
            float[] place = map.Transform(fresh).ToArray();
            int nearest = Enumerable.Range(0, 3).MinBy(c => Distance(place, Centroid(points, truth, c)));
            Assert.Equal(blob, nearest);
        }
    }

    [Fact]
    public void BadInputGetsClearErrors()
    {
        var (data, _) = Blobs(20, k: 2, dimensions: 3, spread: 0.5f, seed: 1);
        Assert.Contains("dimension", Assert.Throws<ArgumentException>(() => NeighbourEmbedding.Fit(data, new NeighbourEmbeddingOptions { Dimensions = 0 })).Message);
        Assert.Contains("neighbours", Assert.Throws<ArgumentException>(() => NeighbourEmbedding.Fit(data, new NeighbourEmbeddingOptions { Neighbours = 1 })).Message);
        Assert.Contains("minimum distance", Assert.Throws<ArgumentException>(() => NeighbourEmbedding.Fit(data, new NeighbourEmbeddingOptions { MinDistance = -1 })).Message);
        Assert.Contains("at least 3 rows", Assert.Throws<ArgumentException>(() => NeighbourEmbedding.Fit(Tensor.Zeros(2, 3))).Message);
        var nan = Tensor.Zeros(10, 2);
        nan.Span[5] = float.NaN;
        Assert.Contains("NaN", Assert.Throws<ArgumentException>(() => NeighbourEmbedding.Fit(nan)).Message);
        NeighbourEmbedding map = NeighbourEmbedding.Fit(data, new NeighbourEmbeddingOptions { Epochs = 5 });
        Assert.Contains("[4, 2]", Assert.Throws<ArgumentException>(() => map.Transform(Tensor.Zeros(4, 2))).Message);
    }

    /// <summary>The naive oracle: 1 − 2 / (n k (2n − 3k − 1)) Σᵢ Σ over map neighbours j that are not data neighbours of (rank of j among i's data neighbours − k).</summary>
    private static double Trustworthiness(Tensor data, Tensor map, int k)
    {
        int n = data.Dim(0);
        float[] x = data.ToArray(), y = map.ToArray();
        double penalty = 0;
        for (int i = 0; i < n; i++)
        {
            int[] byData = [.. Enumerable.Range(0, n).Where(j => j != i).OrderBy(j => Squared(x, i, j, data.Dim(1)))];
            var rank = new int[n];
            for (int r = 0; r < byData.Length; r++) rank[byData[r]] = r + 1;
            foreach (int j in Enumerable.Range(0, n).Where(j => j != i).OrderBy(j => Squared(y, i, j, map.Dim(1))).Take(k))
                if (rank[j] > k) penalty += rank[j] - k;
        }
        return 1 - 2.0 / (n * k * (2.0 * n - 3 * k - 1)) * penalty;
    }

    private static double Squared(float[] v, int i, int j, int d)
    {
        double sum = 0;
        for (int c = 0; c < d; c++) sum += (double)(v[i * d + c] - v[j * d + c]) * (v[i * d + c] - v[j * d + c]);
        return sum;
    }

    private static float[] Centroid(float[] points, int[] truth, int blob)
    {
        int[] rows = [.. Enumerable.Range(0, truth.Length).Where(r => truth[r] == blob)];
        return [.. Enumerable.Range(0, 2).Select(j => rows.Average(r => points[r * 2 + j]))];
    }

    private static double Distance(float[] a, float[] b) => Math.Sqrt(a.Zip(b, (p, q) => (double)(p - q) * (p - q)).Sum());

    /// <summary>Rows drawn round k random centres, row r from blob r mod k (the clustering tests use them too).</summary>
    internal static (Tensor Data, int[] Labels) Blobs(int rows, int k, int dimensions, float spread, ulong seed)
    {
        var rng = new Rng(seed);
        var centers = new float[k * dimensions];
        rng.FillUniform(centers, -5f, 5f);
        var data = Tensor.Zeros(rows, dimensions);
        var labels = new int[rows];
        for (int r = 0; r < rows; r++)
        {
            labels[r] = r % k;
            for (int j = 0; j < dimensions; j++) data.Span[r * dimensions + j] = centers[labels[r] * dimensions + j] + spread * rng.NextNormal();
        }
        return (data, labels);
    }
}
