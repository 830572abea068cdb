using Latent.Engine;
using Latent.Engine.Nn;

namespace Latent.Engine.Tests.Nn;

public class GdnTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void GradientsMatchFiniteDifferences(bool inverse)
    {
        var gdn = new Gdn(4, inverse);
        GradCheck.Random(3, 0.5f, 1.5f, 0f, 4, 4).Span.CopyTo(gdn.GammaRoot.Span);
        GradCheck.Random(4, 0.5f, 1.5f, 0f, 4).Span.CopyTo(gdn.BetaRoot.Span);
        Tensor x = GradCheck.Random(5, 2, 4, 3, 3);
        GradCheck.Check(inputs => gdn.Forward(inputs[0]), [x, gdn.GammaRoot, gdn.BetaRoot]);
    }

    [Fact]
    public void ItComputesTheNormalisationOfTheFormula()
    {
        var gdn = new Gdn(2);
        new float[] { 1f, 2f, 0.5f, 1f }.CopyTo(gdn.GammaRoot.Span);   // γ = [[1, 4], [0.25, 1]]
        new float[] { 1f, 2f }.CopyTo(gdn.BetaRoot.Span);           // β = [1, 4] (+10⁻⁶)
        Tensor x = Tensor.FromArray([3f, -2f], 1, 2, 1, 1);
        float[] y = gdn.Forward(x).ToArray(), back = new Gdn(2, inverse: true).Forward(x).ToArray();
        Assert.Equal(3 / Math.Sqrt(1 + 9 + 4 * 4), y[0], 5);
        Assert.Equal(-2 / Math.Sqrt(4 + 0.25 * 9 + 4), y[1], 5);
        Assert.Equal(3 * Math.Sqrt(1 + 0.1 * 9 + 1e-6 * 4), back[0], 4);
    }
}
