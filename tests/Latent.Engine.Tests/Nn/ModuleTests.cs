using Latent.Engine;
using Latent.Engine.Nn;

namespace Latent.Engine.Tests.Nn;

public class ModuleTests
{
    [Fact]
    public void ParametersAreNamedByPathForSaving()
    {
        var model = new Sequential(new Linear(4, 3, rng: new Rng(1)), new ActivationLayer(Activation.Tanh),
            new BatchNorm1d(3), new Linear(3, 2, bias: false, rng: new Rng(2)));
        Assert.Equal(["0.weight", "0.bias", "2.weight", "2.bias", "3.weight"], model.NamedParameters().Select(p => p.Name));
        Assert.Equal(["2.running_mean", "2.running_var"], model.NamedBuffers().Select(p => p.Name));
        Assert.Equal(4 * 3 + 3 + 3 + 3 + 3 * 2, model.ParameterCount);
        Assert.All(model.Parameters(), p => Assert.True(p.RequiresGrad));
    }

    [Fact]
    public void BatchNormGradientsInTrainingMode()
    {
        var bn = new BatchNorm1d(3);
        Tensor gamma = bn.Gamma, beta = bn.Beta;
        new Rng(3).FillUniform(gamma.Span, 0.5f, 1.5f);
        new Rng(4).FillUniform(beta.Span, -1f, 1f);
        GradCheck.Check(x => bn.Forward(x[0]), [GradCheck.Random(5, 17, 3), gamma, beta]);
    }

    [Fact]
    public void BatchNormNormalisesBatchesAndUsesRunningStatisticsInEval()
    {
        var bn = new BatchNorm1d(2, momentum: 1f);  // momentum 1: running stats = last batch
        var x = Tensor.FromArray([1f, 10f, 3f, 20f, 5f, 30f], 3, 2);
        Tensor y;
        using (Tensor.NoGrad()) y = bn.Forward(x);
        Assert.Equal(0f, y.Mean(0).At(0), 5);
        Assert.Equal(1f, (y * y).Mean(0).At(1), 3);
        Assert.Equal([3f, 20f], bn.RunningMean.ToArray());
        Assert.Equal(4f, bn.RunningVar.At(0), 4);     // unbiased: ((−2)² + 0 + 2²) / 2
        bn.Eval();
        using (Tensor.NoGrad())
            Assert.Equal((5f - 3f) / MathF.Sqrt(4f + 1e-5f), bn.Forward(Tensor.FromArray([5f, 20f], 1, 2)).At(0, 0), 5);
    }

    [Fact]
    public void LayerNormGradients()
    {
        var ln = new LayerNorm(17);
        new Rng(6).FillUniform(ln.Gamma.Span, 0.5f, 1.5f);
        GradCheck.Check(x => ln.Forward(x[0]), [GradCheck.Random(7, 3, 17), ln.Gamma, ln.Beta]);
    }

    [Fact]
    public void LayersRefuseInputsOfTheWrongWidth()
    {
        var e = Assert.Throws<ArgumentException>(() => new Linear(4, 3).Forward(Tensor.Zeros(2, 5)));
        Assert.Contains("[2, 5]", e.Message);
        Assert.Contains("[3, 4]", e.Message);
        Assert.Throws<ArgumentException>(() => new LayerNorm(4).Forward(Tensor.Zeros(2, 5)));
        Assert.Throws<ArgumentException>(() => new BatchNorm1d(4).Forward(Tensor.Zeros(2, 5)));
    }

    [Fact]
    public void InitialisersHaveTheirVariance()
    {
        var w = Tensor.Zeros(400, 600);
        Init.GlorotNormal(w, new Rng(8));
        Assert.Equal(2.0 / 1000, Variance(w), 4);
        Init.HeUniform(w, new Rng(9));
        Assert.Equal(2.0 / 600, Variance(w), 4);   // U(−a, a) has variance a²/3 = 2/fan_in
    }

    [Fact]
    public void FanInUniformFillsWeightAndBiasWithinOneOverRootFanIn()
    {
        var kernel = Tensor.Zeros(16, 8, 3, 3);   // fan_in = 8 · 3 · 3 = 72, as PyTorch counts it
        var bias = Tensor.Zeros(16);
        Init.FanInUniform(kernel, bias, new Rng(3));
        float bound = 1f / MathF.Sqrt(72);
        Assert.Equal(1.0 / (3 * 72), Variance(kernel), 3);   // a²/3
        Assert.All(kernel.ToArray().Concat(bias.ToArray()), v => Assert.InRange(v, -bound, bound));
        Assert.True(bias.ToArray().Count(v => v != 0) == 16 && bias.ToArray().Max() - bias.ToArray().Min() > bound / 2, "the bias is drawn too");
    }

    private static double Variance(Tensor t) => t.ToArray().Select(v => (double)v * v).Average();
}
