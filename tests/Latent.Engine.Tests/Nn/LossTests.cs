using Latent.Engine;
using Latent.Engine.Losses;

namespace Latent.Engine.Tests.Nn;

public class LossTests
{
    private static Tensor Mask(ulong seed, params int[] shape)
    {
        var m = Tensor.Uniform(new Rng(seed), 0f, 1f, shape);
        Span<float> s = m.Span;
        for (int i = 0; i < s.Length; i++) s[i] = s[i] < 0.6f ? 1f : 0f;
        return m;
    }

    [Theory]
    [InlineData(Reduction.Mean, false)]
    [InlineData(Reduction.Sum, false)]
    [InlineData(Reduction.BatchMean, false)]
    [InlineData(Reduction.Mean, true)]
    public void MseGradients(Reduction reduction, bool masked)
    {
        Tensor? mask = masked ? Mask(1, 17, 3) : null;
        GradCheck.Check(x => Loss.Mse(x[0], x[1], mask, reduction), [GradCheck.Random(2, 17, 3), GradCheck.Random(3, 17, 3)]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void L1Gradients(bool masked)
    {
        Tensor? mask = masked ? Mask(4, 3, 257) : null;
        var p = GradCheck.Random(5, 3, 257);
        var t = p.Detach() + GradCheck.Random(6, -1f, 1f, 0.05f, 3, 257);   // |p − t| ≥ 0.05: away from the kink
        GradCheck.Check(x => Loss.L1(x[0], x[1], mask), [p, t]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void BceWithLogitsGradients(bool masked)
    {
        Tensor? mask = masked ? Mask(7, 17, 17) : null;
        GradCheck.Check(x => Loss.BinaryCrossEntropyWithLogits(x[0], x[1], mask, Reduction.BatchMean),
            [GradCheck.Random(8, -4f, 4f, 0f, 17, 17), GradCheck.Random(9, 0f, 1f, 0f, 17, 17)]);
    }

    [Fact]
    public void BceWithLogitsIsStableAndMatchesTheDefinition()
    {
        using var _ = Tensor.NoGrad();
        var logits = Tensor.FromArray([-200f, -3f, 0f, 2f, 200f], 5);
        var targets = Tensor.FromArray([0f, 1f, 0.5f, 0f, 1f], 5);
        float loss = Loss.BinaryCrossEntropyWithLogits(logits, targets, reduction: Reduction.Sum).Item();
        double expected = 0;
        float[] z = logits.ToArray(), t = targets.ToArray();
        for (int i = 0; i < 5; i++)
        {
            double p = 1 / (1 + Math.Exp(-z[i]));
            double term = -(t[i] * Math.Log(Math.Max(p, 1e-300)) + (1 - t[i]) * Math.Log(Math.Max(1 - p, 1e-300)));
            expected += Math.Abs(z[i]) > 100 ? (z[i] > 0 ? (1 - t[i]) * z[i] : -t[i] * z[i]) : term;
        }
        Assert.True(float.IsFinite(loss));
        Assert.Equal(expected, loss, 1e-4);
    }

    [Fact]
    public void CrossEntropyGradientsAndValue()
    {
        int[] labels = [0, 2, 1, 2];
        GradCheck.Check(x => Loss.CrossEntropy(x[0], labels), [GradCheck.Random(10, -2f, 2f, 0f, 4, 3)]);
        using var _ = Tensor.NoGrad();
        var uniform = Tensor.Zeros(4, 3);
        Assert.Equal(MathF.Log(3f), Loss.CrossEntropy(uniform, labels).Item(), 5);
        Assert.Throws<ArgumentException>(() => Loss.CrossEntropy(uniform, [0, 1, 3, 0]));
    }

    [Fact]
    public void GaussianKlGradientsAndClosedForm()
    {
        GradCheck.Check(x => Loss.GaussianKl(x[0], x[1]), [GradCheck.Random(11, 17, 3), GradCheck.Random(12, 17, 3)]);
        using var _ = Tensor.NoGrad();
        // KL(N(μ, σ²) ‖ N(0, 1)) = ½(σ² + μ² − 1 − log σ²); zero exactly at the prior.
        Assert.Equal(0f, Loss.GaussianKl(Tensor.Zeros(2, 4), Tensor.Zeros(2, 4)).Item());
        float mu = 1.5f, logVar = -0.7f;
        float expected = 0.5f * (MathF.Exp(logVar) + mu * mu - 1f - logVar);
        Assert.Equal(expected, Loss.GaussianKl(Tensor.Full(mu, 1, 1), Tensor.Full(logVar, 1, 1)).Item(), 5);
    }

    [Fact]
    public void MaskedMeanAveragesOnlyObservedCells()
    {
        using var _ = Tensor.NoGrad();
        var p = Tensor.FromArray([1f, 2f, 3f, 4f], 2, 2);
        var t = Tensor.Zeros(2, 2);
        var mask = Tensor.FromArray([1f, 0f, 0f, 1f], 2, 2);
        Assert.Equal((1f + 16f) / 2f, Loss.Mse(p, t, mask).Item());
        Assert.Equal(0f, Loss.Mse(p, t, Tensor.Zeros(2, 2)).Item());
    }

    [Fact]
    public void MismatchedPredictionAndTargetNameBothShapes()
    {
        var e = Assert.Throws<ArgumentException>(() => Loss.Mse(Tensor.Zeros(2, 3), Tensor.Zeros(3, 2)));
        Assert.Contains("[2, 3]", e.Message);
        Assert.Contains("[3, 2]", e.Message);
    }
}
