using Latent.Applications.Search;

namespace Latent.Tests.Applications.Search;

/// <summary>Pair distances against a double-precision loop at every length, tails included.</summary>
public class PairDistanceTests
{
    [Fact]
    public void MatchADoubleLoopAtEveryLength()
    {
        // 1 to 7 values: scalar only; 8 to 15: 8-float vectors and a tail; 16 and more: the widest vectors and a tail.
        for (int n = 1; n <= 40; n++)
        {
            float[] a = SearchTestData.Gaussian(1, n, seed: n), b = SearchTestData.Gaussian(1, n, seed: 100 + n);
            double squared = 0, dot = 0, scale = 0;
            for (int i = 0; i < n; i++)
            {
                squared += (double)(a[i] - b[i]) * (a[i] - b[i]);
                dot += (double)a[i] * b[i];
                scale += Math.Abs((double)a[i] * b[i]);
            }
            Assert.Equal(squared, PairDistance.SquaredEuclidean(a, b), 1e-5 * squared);
            Assert.Equal(dot, PairDistance.Dot(a, b), 1e-5 * scale);
            Assert.Equal(-dot, PairDistance.Score(DistanceMetric.Cosine, a, b), 1e-5 * scale);
        }
    }
}
