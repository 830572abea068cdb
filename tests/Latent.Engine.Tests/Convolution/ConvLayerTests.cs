using Latent.Engine.Nn;

namespace Latent.Engine.Tests.Convolution;

public class ConvLayerTests
{
    [Fact]
    public void BatchNorm2dNormalisesEachChannelOverBatchAndPixels()
    {
        var bn = new BatchNorm2d(3, momentum: 1f);
        Tensor x = GradCheck.Random(1, 4, 3, 5, 6) * 3f + 2f;
        Tensor y;
        using (Tensor.NoGrad()) y = bn.Forward(x);
        for (int c = 0; c < 3; c++)
        {
            double sum = 0, squares = 0, rawSum = 0;
            for (int n = 0; n < 4; n++)
                for (int i = 0; i < 30; i++)
                {
                    float v = y.At(n, c, i / 6, i % 6);
                    sum += v;
                    squares += v * v;
                    rawSum += x.At(n, c, i / 6, i % 6);
                }
            Assert.Equal(0, sum / 120, 4);
            Assert.Equal(1, squares / 120, 3);
            Assert.Equal(rawSum / 120, bn.RunningMean.At(c), 4);
        }
        bn.Eval();
        Tensor again;
        using (Tensor.NoGrad()) again = bn.Forward(x);
        // Eval uses the unbiased running variance: ·√((M − 1)/M) of the training output.
        Assert.Equal(y.At(1, 2, 3, 4) * MathF.Sqrt(119f / 120), again.At(1, 2, 3, 4), 3);
    }

    [Fact]
    public void BatchNorm2dGradientsInTrainingAndEvalMode()
    {
        var bn = new BatchNorm2d(3);
        new Rng(2).FillUniform(bn.Gamma.Span, 0.5f, 1.5f);
        new Rng(3).FillUniform(bn.Beta.Span, -1f, 1f);
        GradCheck.Check(t => bn.Forward(t[0]), [GradCheck.Random(4, 3, 3, 4, 5), bn.Gamma, bn.Beta]);
        bn.Eval();
        bn.ZeroGrad();   // the check reads the accumulated gradient
        new Rng(5).FillUniform(bn.RunningVar.Span, 0.5f, 2f);
        GradCheck.Check(t => bn.Forward(t[0]), [GradCheck.Random(6, 2, 3, 3, 2), bn.Gamma, bn.Beta]);
        Assert.Throws<ArgumentException>(() => bn.Forward(Tensor.Zeros(2, 4, 3, 3)));
    }

    [Fact]
    public void TheKerasDenoiserStackHasItsShapesAndParameterCount()
    {
        var rng = new Rng(7);
        var model = new Sequential(
            new Conv2d(1, 64, 3, padding: Padding2d.Same, activation: Activation.Relu, rng: rng), new MaxPool2d(2, padding: Padding2d.Same),
            new Conv2d(64, 32, 3, padding: Padding2d.Same, activation: Activation.Relu, rng: rng), new MaxPool2d(2, padding: Padding2d.Same),
            new Conv2d(32, 16, 3, padding: Padding2d.Same, activation: Activation.Relu, rng: rng), new MaxPool2d(2, padding: Padding2d.Same),
            new Conv2d(16, 16, 3, padding: Padding2d.Same, activation: Activation.Relu, rng: rng), new Upsample(2),
            new Conv2d(16, 32, 3, padding: Padding2d.Same, activation: Activation.Relu, rng: rng), new Upsample(2),
            new Conv2d(32, 64, 3, activation: Activation.Relu, rng: rng), new Upsample(2),
            new Conv2d(64, 1, 3, padding: Padding2d.Same, rng: rng));
        Assert.Equal(49_761, model.ParameterCount);   // as the PyTorch port reports
        Tensor y = model.Forward(Tensor.Zeros(2, 1, 28, 28));
        Assert.Equal([2, 1, 28, 28], y.Shape);
        Assert.Equal(["0.weight", "0.bias"], model.NamedParameters().Take(2).Select(p => p.Name));
    }

    [Fact]
    public void ReshapeJoinsConvolutionalAndDenseLayers()
    {
        var flatten = new Reshape(16 * 2 * 2);
        Tensor x = GradCheck.Random(1, 3, 16, 2, 2);
        Tensor flat = flatten.Forward(x);
        Assert.Equal([3, 64], flat.Shape);
        Assert.Equal([3, 16, 2, 2], new Reshape(16, 2, 2).Forward(flat).Shape);
        Assert.Throws<ArgumentException>(() => flatten.Forward(Tensor.Zeros(3, 63)));
    }

    [Fact]
    public void ConvolutionalLayersLearnATinyTask()
    {
        // Learn to shift an image one pixel right with a 3×3 convolution: the loss must fall by orders of magnitude.
        var rng = new Rng(8);
        var conv = new Conv2d(1, 1, 3, padding: 1, rng: rng);
        var adam = new Latent.Engine.Optim.Adam(conv.Parameters(), learningRate: 0.05f);
        Tensor x = Tensor.Uniform(rng, 0f, 1f, 16, 1, 6, 6);
        var target = Tensor.Zeros(16, 1, 6, 6);
        for (int n = 0; n < 16; n++)
            for (int i = 0; i < 6; i++)
                for (int j = 1; j < 6; j++) target.Span[(n * 6 + i) * 6 + j] = x.At(n, 0, i, j - 1);
        float first = 0, last = 0;
        for (int step = 0; step < 300; step++)
        {
            adam.ZeroGrad();
            Tensor loss = Latent.Engine.Losses.Loss.Mse(conv.Forward(x), target);
            if (step == 0) first = loss.Item();
            last = loss.Item();
            loss.Backward();
            adam.Step();
        }
        Assert.True(last < first / 100, $"loss went from {first} to {last}");
        Assert.Equal(1f, conv.Weight.At(0, 0, 1, 0), 1);   // the tap that reads the left neighbour
    }
}
