using Latent.Applications.Clustering;
using Latent.Engine;

namespace Latent.Tests.Applications;

public class GaussianMixtureTests
{
    [Fact]
    public void RecoversPlantedElongatedComponentsAndTheLikelihoodNeverFalls()
    {
        // Three round components in 2-D of different sizes: k-means' boundary halfway between a broad one and a tight one
        // hands the tight one the broad one's tail, which the mixture's own variances keep apart.
        var (data, truth) = Planted(1500, seed: 1);
        KMeansResult start = KMeans.Fit(data, 3, seed: 2);
        GaussianMixture mixture = GaussianMixture.Fit(data, 3, start.Assignments, tolerance: 1e-9);
        double[] steps = mixture.LogLikelihoods;
        Assert.True(steps.Length > 2);
        for (int s = 1; s < steps.Length; s++) Assert.True(steps[s] >= steps[s - 1] - 1e-9, $"step {s}: {steps[s - 1]} → {steps[s]}");
        double accuracy = ClusteringMetrics.Accuracy(mixture.Predict(data), truth), kmeans = ClusteringMetrics.Accuracy(start.Assignments, truth);
        Assert.True(accuracy > 0.97, $"mixture {accuracy:F3} (k-means {kmeans:F3})");
        Assert.True(accuracy > kmeans, $"mixture {accuracy:F3} vs k-means {kmeans:F3}");
        // Each planted mean is found by one component (within about 4 standard errors).
        foreach (var (mx, my, spread) in Planting)
            Assert.Contains(Enumerable.Range(0, 3), c => Math.Abs(mixture.Means[2 * c] - mx) < 0.25 && Math.Abs(mixture.Means[2 * c + 1] - my) < 0.25);
        Assert.Equal(1, mixture.Weights.Sum(), 5);
    }

    [Fact]
    public void AMixtureRebuiltFromItsParametersPredictsTheSame()
    {
        var (data, _) = Planted(600, seed: 3);
        GaussianMixture mixture = GaussianMixture.Fit(data, 3, KMeans.Fit(data, 3, seed: 1).Assignments);
        GaussianMixture rebuilt = GaussianMixture.FromParameters(mixture.Weights, mixture.Means, mixture.Covariances);
        Assert.Equal(mixture.Predict(data), rebuilt.Predict(data));
    }

    [Fact]
    public void BadInputGetsClearErrors()
    {
        var (data, _) = Planted(30, seed: 1);
        Assert.Contains("one cluster", Assert.Throws<ArgumentException>(() => GaussianMixture.Fit(data, 3, new int[29])).Message);
        Assert.Contains("one cluster", Assert.Throws<ArgumentException>(() => GaussianMixture.Fit(data, 3, Enumerable.Repeat(3, 30).ToArray())).Message);
        Assert.Contains("at least 40 rows", Assert.Throws<ArgumentException>(() => GaussianMixture.Fit(data, 40, new int[30])).Message);
        Assert.Contains("do not fit together", Assert.Throws<ArgumentException>(() => GaussianMixture.FromParameters([1f], [0f, 0f], [1f])).Message);
        Assert.Contains("positive definite", Assert.Throws<ArgumentException>(() => GaussianMixture.FromParameters([1f], [0f], [-1f])).Message);
    }

    private static readonly (float X, float Y, float Spread)[] Planting = [(0, 0, 1.5f), (4, 0, 0.3f), (0, 7, 1.5f)];

    private static (Tensor Data, int[] Labels) Planted(int rows, ulong seed)
    {
        var rng = new Rng(seed);
        var data = Tensor.Zeros(rows, 2);
        var labels = new int[rows];
        for (int r = 0; r < rows; r++)
        {
            var (x, y, spread) = Planting[labels[r] = r % 3];
            data.Span[2 * r] = x + spread * rng.NextNormal();
            data.Span[2 * r + 1] = y + spread * rng.NextNormal();
        }
        return (data, labels);
    }
}
