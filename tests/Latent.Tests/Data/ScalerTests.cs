using Latent.Data;
using Latent.Engine;

namespace Latent.Tests.Data;

public class ScalerTests
{
    private const float Nan = float.NaN;

    // Column 0 ordinary, column 1 with a missing cell, column 2 constant, column 3 with no values at all.
    private static Tensor Sample() => Tensor.FromArray(
    [
        1f, 10f, 5f, Nan,
        2f, Nan, 5f, Nan,
        4f, 30f, 5f, Nan,
        9f, 20f, 5f, Nan,
    ], 4, 4);

    public static TheoryData<string> Kinds() => [.. Scalers.Kinds];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void InverseUndoesTransformAndNaNPassesThrough(string kind)
    {
        Tensor x = Sample();
        IScaler scaler = Scalers.Fit(kind, x);

        float[] scaled = scaler.Transform(x).ToArray(), back = scaler.InverseTransform(scaler.Transform(x)).ToArray();

        float[] original = x.ToArray();
        for (int i = 0; i < original.Length; i++)
        {
            Assert.Equal(float.IsNaN(original[i]), float.IsNaN(scaled[i]));
            if (!float.IsNaN(original[i])) Assert.Equal(original[i], back[i], 1e-5f);
        }
        Assert.All(new[] { 2, 6, 10, 14 }, i => Assert.Equal(0f, scaled[i]));   // the constant column
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void TheCallersDataIsNeverChanged(string kind)
    {
        Tensor x = Sample();
        float[] before = x.ToArray();
        IScaler scaler = Scalers.Fit(kind, x);
        Tensor scaled = scaler.Transform(x);
        float[] scaledBefore = scaled.ToArray();
        scaler.InverseTransform(scaled);

        Assert.Equal(before, x.ToArray());
        Assert.Equal(scaledBefore, scaled.ToArray());
    }

    [Fact]
    public void MinMaxMapsEachColumnOntoTheUnitInterval()
    {
        var scaler = MinMaxScaler.Fit(Sample());
        Assert.Equal([1, 10, 5, 0], scaler.Minimum);
        Assert.Equal([8, 20, 1, 1], scaler.Range);
        Assert.Equal([0f, 0f, 0f, Nan, 0.125f, Nan, 0f, Nan, 0.375f, 1f, 0f, Nan, 1f, 0.5f, 0f, Nan], scaler.Transform(Sample()).ToArray());
    }

    [Fact]
    public void StandardMatchesANaiveComputation()
    {
        var scaler = StandardScaler.Fit(Sample());
        double[] col0 = [1, 2, 4, 9], col1 = [10, 30, 20];
        Assert.Equal(col0.Average(), scaler.Mean[0], 12);
        Assert.Equal(Math.Sqrt(col0.Select(v => (v - 4) * (v - 4)).Average()), scaler.StandardDeviation[0], 12);
        Assert.Equal(20, scaler.Mean[1], 12);
        Assert.Equal(Math.Sqrt(col1.Select(v => (v - 20) * (v - 20)).Average()), scaler.StandardDeviation[1], 12);
        Assert.Equal([5, 0], new[] { scaler.Mean[2], scaler.Mean[3] });
        Assert.Equal([1, 1], new[] { scaler.StandardDeviation[2], scaler.StandardDeviation[3] });
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void JsonRoundTripScalesIdentically(string kind)
    {
        Tensor x = Tensor.Uniform(new Rng(3), -5f, 7f, 20, 3);
        IScaler scaler = Scalers.Fit(kind, x);

        IScaler loaded = Scalers.FromJson(scaler.ToJson());

        Assert.Equal(kind, loaded.Kind);
        Assert.Equal(scaler.GetType(), loaded.GetType());
        Assert.Equal(scaler.Transform(x).ToArray(), loaded.Transform(x).ToArray());
        Assert.Equal(scaler.ToJson(), loaded.ToJson());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void BadShapesAreRefusedWithTheShapes(string kind)
    {
        Assert.Contains("not a tensor of shape [0, 3]", Assert.Throws<ArgumentException>(() => Scalers.Fit(kind, Tensor.Zeros(0, 3))).Message);
        Assert.Contains("not a tensor of shape [5]", Assert.Throws<ArgumentException>(() => Scalers.Fit(kind, Tensor.Zeros(5))).Message);
        IScaler scaler = Scalers.Fit(kind, Tensor.Ones(2, 3));
        var e = Assert.Throws<ArgumentException>(() => scaler.Transform(Tensor.Zeros(2, 4)));
        Assert.Contains("fitted on 3 columns; it cannot scale a tensor of shape [2, 4]", e.Message);
        Assert.Throws<ArgumentException>(() => scaler.InverseTransform(Tensor.Zeros(2, 4)));
        Assert.Contains("infinite", Assert.Throws<ArgumentException>(() => Scalers.Fit(kind, Tensor.FromArray([1f, float.PositiveInfinity], 2, 1))).Message);
    }

    [Fact]
    public void UnknownKindsAreRefused()
    {
        Assert.Contains("min-max, standard", Assert.Throws<ArgumentException>(() => Scalers.Fit("quantile", Tensor.Ones(1, 1))).Message);
        Assert.Contains("kind 'quantile'", Assert.Throws<InvalidDataException>(() => Scalers.FromJson("{\"kind\":\"quantile\",\"offset\":[0],\"divisor\":[1]}")).Message);
        Assert.Throws<InvalidDataException>(() => Scalers.FromJson("{\"kind\":\"standard\",\"offset\":[0],\"divisor\":[0]}"));
        Assert.Throws<InvalidDataException>(() => Scalers.FromJson("[1,2"));
    }
}
