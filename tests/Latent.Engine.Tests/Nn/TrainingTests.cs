using Latent.Engine;
using Latent.Engine.Losses;
using Latent.Engine.Nn;
using Latent.Engine.Optim;

namespace Latent.Engine.Tests.Nn;

public class TrainingTests
{
    [Fact]
    public void SmallMlpLearnsXor()
    {
        var x = Tensor.FromArray([0, 0, 0, 1, 1, 0, 1, 1], 4, 2);
        var y = Tensor.FromArray([0, 1, 1, 0], 4, 1);
        var rng = new Rng(1);
        var model = new Sequential(new Linear(2, 8, activation: Activation.Tanh, rng: rng), new Linear(8, 1, rng: rng));
        var adam = new Adam(model.Parameters(), learningRate: 0.05f);
        float first = 0, last = 0;
        for (int step = 0; step < 400; step++)
        {
            adam.ZeroGrad();
            Tensor loss = Loss.BinaryCrossEntropyWithLogits(model.Forward(x), y);
            if (step == 0) first = loss.Item();
            last = loss.Item();
            loss.Backward();
            adam.Step();
        }
        Assert.True(last < 0.05f && last < first / 10, $"XOR loss went from {first} to {last}");
        using (Tensor.NoGrad())
            Assert.Equal([0f, 1f, 1f, 0f], model.Forward(x).ToArray().Select(z => z > 0 ? 1f : 0f));
    }

    [Fact]
    public void LinearRegressionRecoversTheCoefficientsUnderNoise()
    {
        // y = X·w + 0.3 + N(0, 0.1²): the best achievable mean squared error is the noise variance, 0.01.
        const int n = 512, d = 5;
        var rng = new Rng(2);
        float[] w = [1.5f, -2f, 0.5f, 0f, 3f];
        var x = Tensor.Normal(rng, 0f, 1f, n, d);
        var targets = new float[n];
        for (int i = 0; i < n; i++)
        {
            float sum = 0.3f + 0.1f * rng.NextNormal();
            for (int j = 0; j < d; j++) sum += x.At(i, j) * w[j];
            targets[i] = sum;
        }
        var y = Tensor.FromArray(targets, n, 1);
        var layer = new Linear(d, 1, rng: rng);
        var sgd = new Sgd(layer.Parameters(), learningRate: 0.1f, momentum: 0.5f);
        float loss = float.NaN;
        for (int epoch = 0; epoch < 200; epoch++)
        {
            sgd.ZeroGrad();
            Tensor l = Loss.Mse(layer.Forward(x), y);
            loss = l.Item();
            l.Backward();
            sgd.Step();
        }
        Assert.InRange(loss, 0.005f, 0.013f);
        for (int j = 0; j < d; j++) Assert.Equal(w[j], layer.Weight.At(0, j), 1);
        Assert.Equal(0.3f, layer.Bias!.At(0), 1);
    }

    [Fact]
    public void TrainingIsDeterministicForASeed()
    {
        float[] Run()
        {
            var rng = new Rng(3);
            var model = new Sequential(new Linear(64, 32, activation: Activation.Relu, rng: rng), new Dropout(0.2f, rng),
                new Linear(32, 64, rng: rng));
            var data = Tensor.Uniform(rng, 0f, 1f, 300, 64);
            var adam = new Adam(model.Parameters());
            for (int step = 0; step < 5; step++)
            {
                adam.ZeroGrad();
                Loss.Mse(model.Forward(data), data).Backward();
                adam.Step();
            }
            return [.. model.Parameters().SelectMany(p => p.ToArray())];
        }
        Assert.Equal(Run(), Run());
    }
}
