using Latent.Engine;
using Latent.Engine.Optim;

namespace Latent.Engine.Tests.Optim;

public class OptimizerTests
{
    /// <summary>A parameter p with loss Σ c·p, so that its gradient is exactly c.</summary>
    private static (Tensor P, Action Backward) Linear(float[] p0, float[] c)
    {
        var p = Tensor.FromArray(p0, p0.Length);
        p.RequiresGrad = true;
        var coefficients = Tensor.FromArray(c, c.Length);
        return (p, () => (p * coefficients).Sum().Backward());
    }

    [Fact]
    public void OneAdamStepMatchesTheHandComputedValue()
    {
        var (p, backward) = Linear([1f, -2f], [0.5f, -3f]);
        var adam = new Adam([p], learningRate: 0.1f);
        backward();
        adam.Step();
        // m = 0.1·g, v = 0.001·g², m̂ = g, v̂ = g²  →  p −= 0.1 · g / (|g| + 1e-8)
        Assert.Equal(1f - 0.1f * 0.5f / (0.5f + 1e-8f), p.At(0), 6);
        Assert.Equal(-2f + 0.1f * 3f / (3f + 1e-8f), p.At(1), 6);
        // Second step with the same gradient: m = 0.19g, v = 0.001999g²; m̂ = 0.19g/0.19, v̂ = g².
        adam.ZeroGrad();
        backward();
        adam.Step();
        Assert.Equal(1f - 0.2f, p.At(0), 5);
    }

    [Fact]
    public void AdamWDecaysWeightsBeforeTheUpdate()
    {
        var (p, backward) = Linear([2f], [1f]);
        var adamw = new AdamW([p], learningRate: 0.1f, weightDecay: 0.5f);
        backward();
        adamw.Step();
        Assert.Equal(2f * (1f - 0.1f * 0.5f) - 0.1f, p.At(0), 5);
    }

    [Fact]
    public void SgdWithMomentumAccumulatesVelocity()
    {
        var (p, backward) = Linear([1f], [2f]);
        var sgd = new Sgd([p], learningRate: 0.1f, momentum: 0.9f);
        backward();
        sgd.Step();                     // v = 2;        p = 1 − 0.2
        Assert.Equal(0.8f, p.At(0), 6);
        sgd.ZeroGrad();
        backward();
        sgd.Step();                     // v = 0.9·2 + 2 = 3.8; p = 0.8 − 0.38
        Assert.Equal(0.42f, p.At(0), 5);
    }

    public static TheoryData<string> Kinds => ["adam", "adamw", "sgd"];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void UpdatesSplitAcrossThreadsMatchOneThread(string kind)
    {
        // 3,500,013 elements in three tensors: three threads each take a range that crosses tensor boundaries.
        int[] sizes = [2_000_001, 12, 1_500_000];
        float[][] Train(int threads)
        {
            var rng = new Rng(7);
            Tensor[] ps = [.. sizes.Select(n => { var t = Tensor.FromArray(Random(rng, n), n); t.RequiresGrad = true; return t; })];
            Tensor[] cs = [.. sizes.Select(n => Tensor.FromArray(Random(rng, n), n))];
            Optimizer optimizer = kind switch
            {
                "adam" => new Adam(ps, weightDecay: 0.01f),
                "adamw" => new AdamW(ps),
                _ => new Sgd(ps, learningRate: 0.1f, momentum: 0.9f, weightDecay: 0.01f),
            };
            int saved = Parallelism.Threads;
            try
            {
                Parallelism.Threads = threads;
                for (int step = 0; step < 3; step++)
                {
                    optimizer.ZeroGrad();
                    for (int i = 0; i < ps.Length; i++) (ps[i] * ps[i] * cs[i]).Sum().Backward();
                    optimizer.Step();
                }
            }
            finally
            {
                Parallelism.Threads = saved;
            }
            return [.. ps.Select(p => p.ToArray())];
        }

        float[][] one = Train(1), three = Train(3);
        for (int i = 0; i < sizes.Length; i++) Assert.Equal(one[i], three[i]);
        Assert.NotEqual(Random(new Rng(7), sizes[0]), one[0]);   // the steps did move the parameters
    }

    private static float[] Random(Rng rng, int n) => [.. Enumerable.Range(0, n).Select(_ => rng.NextFloat() - 0.5f)];

    [Fact]
    public void GradientsAccumulateUntilZeroed()
    {
        var (p, backward) = Linear([1f], [2f]);
        backward();
        backward();
        Assert.Equal(4f, p.Grad!.At(0));
        p.ZeroGrad();
        Assert.Null(p.Grad);
        backward();
        Assert.Equal(2f, p.Grad!.At(0));
    }

    [Fact]
    public void ClipGradNormRescalesToTheLimit()
    {
        var (p, backward) = Linear([0f, 0f], [3f, 4f]);
        var sgd = new Sgd([p]);
        backward();
        Assert.Equal(5f, sgd.ClipGradNorm(1f), 5);
        Assert.Equal(0.6f, p.Grad!.At(0), 4);
        Assert.Equal(0.8f, p.Grad!.At(1), 4);
    }

    [Fact]
    public void SchedulesFollowTheirFormulas()
    {
        var (p, _) = Linear([0f], [1f]);
        var opt = new Sgd([p], learningRate: 1f);
        var step = new StepSchedule(opt, stepSize: 2, gamma: 0.5f);
        float[] rates = [.. Enumerable.Range(0, 5).Select(_ => { step.Step(); return opt.LearningRate; })];
        Assert.Equal([1f, 0.5f, 0.5f, 0.25f, 0.25f], rates);

        opt.LearningRate = 1f;
        var cosine = new CosineSchedule(opt, length: 4, minimumRate: 0.1f);
        Assert.Equal(1f, cosine.RateAt(0), 6);
        Assert.Equal(0.55f, cosine.RateAt(2), 6);
        Assert.Equal(0.1f, cosine.RateAt(4), 6);
        Assert.Equal(0.1f, cosine.RateAt(9), 6);
    }

    [Fact]
    public void BadSettingsAreRefused()
    {
        var (p, _) = Linear([0f], [1f]);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam([p], beta1: 1f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd([p], learningRate: float.NaN));
        Assert.Throws<ArgumentException>(() => new Adam([Tensor.Zeros(2)]));
    }
}
