using Latent.Engine;

namespace Latent.Engine.Tests.Autograd;

public class LogisticMixtureBitsTests
{
    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    [Fact]
    public void GradientsMatchFiniteDifferences()
    {
        Tensor y = GradCheck.Random(1, -4f, 4f, 0f, 2, 3, 2, 2);
        Tensor means = GradCheck.Random(2, -1f, 1f, 0f, 3, 2), logScales = GradCheck.Random(3, -0.5f, 1f, 0f, 3, 2);
        Tensor logits = GradCheck.Random(4, -1f, 1f, 0f, 3, 2);
        GradCheck.Check(x => Ops.LogisticMixtureBits(x[0], x[1], x[2], x[3]), [y, means, logScales, logits], samplesPerInput: 12);
    }

    [Fact]
    public void ItCountsMinusLog2OfTheMixturesMassOnEachBin()
    {
        // One channel, two components: π = softmax([0, ln 3]) = [¼, ¾], μ = [0, 2], s = [1, e].
        Tensor y = Tensor.FromArray([0f, 3f, 40f], 1, 1, 1, 3);
        Tensor bits = Ops.LogisticMixtureBits(y, Tensor.FromArray([0f, 2f], 1, 2), Tensor.FromArray([0f, 1f], 1, 2),
            Tensor.FromArray([0f, MathF.Log(3)], 1, 2));
        double Mass(double v) =>
            0.25 * (Sigmoid(v + 0.5) - Sigmoid(v - 0.5)) + 0.75 * (Sigmoid((v + 0.5 - 2) / Math.E) - Sigmoid((v - 0.5 - 2) / Math.E));
        double expected = -Math.Log2(Mass(0)) - Math.Log2(Mass(3)) - Math.Log2(Math.Max(Mass(40), 1e-9));
        Assert.Equal(expected, bits.Item(), 3);
    }
}
