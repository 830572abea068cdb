using Latent.Engine;
using Latent.Engine.Nn;
using Latent.Training;

namespace Latent.Tests.Training;

public class WeightAverageTests
{
    /// <summary>y = w·x + b pulled towards 5: every step changes both parameters.</summary>
    private sealed class PullTowardsFive : ITrainable
    {
        private readonly Linear _layer = new(1, 1);

        public Module Network => _layer;

        public float[] Weights => [.. _layer.Parameters().SelectMany(p => p.ToArray())];

        public Tensor Loss(Tensor batch, Rng rng)
        {
            Tensor error = _layer.Forward(batch) - 5f;
            return (error * error).Mean();
        }
    }

    [Fact]
    public void TheModelHoldsTheMovingAverageOfItsTrainedWeightsAfterEveryEpochAndAtTheEnd()
    {
        var data = Tensor.FromArray([.. Enumerable.Range(0, 8).Select(i => 0.5f + i / 8f)], 8, 1);
        var model = new PullTowardsFive();
        const float Decay = 0.5f;   // reached after 8 steps of the (1 + t) / (10 + t) ramp, within the 12 steps
        double[] expected = [.. model.Weights.Select(w => (double)w)];
        var trained = new List<float[]>();
        var atEpochEnd = new List<(float[] Model, double[] Average)>();
        int steps = 0;
        var options = new FitOptions
        {
            Epochs = 3, BatchSize = 2, Optimizer = OptimizerKind.Sgd, Momentum = 0, LearningRate = 0.05f, ValidationFraction = 0,
            RestoreBestWeights = false, AverageWeights = Decay, Seed = 3,
        };
        Trainer.Fit(model, data, options, new InlineProgress<TrainingProgress>(p =>
        {
            if (p.EpochEnded is null)
            {
                // After a step the model holds its trained weights; the average follows them.
                float[] w = model.Weights;
                trained.Add(w);
                steps++;
                double d = Math.Min(Decay, (1.0 + steps) / (10.0 + steps));
                for (int i = 0; i < w.Length; i++) expected[i] = d * expected[i] + (1 - d) * w[i];
            }
            else atEpochEnd.Add((model.Weights, [.. expected]));
        }), default);

        Assert.Equal(12, steps);
        Assert.Equal(3, atEpochEnd.Count);
        foreach (var (held, average) in atEpochEnd)
            for (int i = 0; i < held.Length; i++) Assert.Equal(average[i], held[i], 1e-5);
        float[] final = model.Weights;
        for (int i = 0; i < final.Length; i++)
        {
            Assert.Equal(expected[i], final[i], 1e-5);
            Assert.NotEqual(trained[^1][i], final[i], 1e-3f);   // the average lags the trained weights
        }
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(1f)]
    [InlineData(float.NaN)]
    public void ADecayOutsideZeroToOneIsRefused(float decay)
    {
        var data = Tensor.FromArray([1f, 2f], 2, 1);
        var error = Assert.Throws<ArgumentException>(() => Trainer.Fit(new PullTowardsFive(), data, new FitOptions { AverageWeights = decay }, null, default));
        Assert.Contains("weight averaging decay", error.Message);
    }
}
