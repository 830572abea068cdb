using Latent.Data;
using Latent.Engine;

namespace Latent.Tests.Data;

public class RobustScalerTests
{
    [Fact]
    public void MedianAndSpreadMatchANaiveComputationAndIgnoreNaN()
    {
        double[] column = [.. Enumerable.Range(1, 21).Select(i => (double)i * i)];
        float[] cells = [.. column.Select(v => (float)v), float.NaN];
        var scaler = RobustScaler.Fit(Tensor.FromArray(cells, cells.Length, 1));
        double[] sorted = [.. column.Order()];
        double Quantile(double p) => sorted[(int)Math.Floor(p * 20)] + (p * 20 - Math.Floor(p * 20)) * (sorted[Math.Min(20, (int)Math.Floor(p * 20) + 1)] - sorted[(int)Math.Floor(p * 20)]);
        Assert.Equal(121, scaler.Median[0], 9);
        Assert.Equal((Quantile(0.95) - Quantile(0.05)) / 3.2897072539029457, scaler.Spread[0], 9);
    }

    [Fact]
    public void AFewWildValuesBarelyMoveIt()
    {
        var rng = new Rng(1);
        float[] values = new float[1000];
        rng.FillNormal(values, 5f, 2f);
        var clean = RobustScaler.Fit(Tensor.FromArray(values, 1000, 1));
        for (int i = 0; i < 20; i++) values[i] = 1e4f;
        var dirty = RobustScaler.Fit(Tensor.FromArray(values, 1000, 1));
        Assert.InRange(clean.Spread[0], 1.85, 2.15);   // the standard deviation, for normal data
        Assert.InRange(dirty.Spread[0] / clean.Spread[0], 0.95, 1.1);
        Assert.InRange(StandardScaler.Fit(Tensor.FromArray(values, 1000, 1)).StandardDeviation[0], 1000, double.MaxValue);
    }

    [Fact]
    public void AColumnOfMostlyOneValueFallsBackToItsStandardDeviation()
    {
        float[] values = [.. Enumerable.Repeat(0f, 98), 10f, 10f];
        var scaler = RobustScaler.Fit(Tensor.FromArray(values, 100, 1));
        Assert.Equal(0, scaler.Median[0]);
        Assert.Equal(Math.Sqrt(0.02 * 100 - 0.2 * 0.2), scaler.Spread[0], 6);
    }
}
