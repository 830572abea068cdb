using Latent.Engine;

namespace Latent.Engine.Tests.Autograd;

public class BackpropTests
{
    [Fact]
    public void NoGradRecordsNothing()
    {
        var x = Tensor.Ones(3);
        x.RequiresGrad = true;
        Tensor y;
        using (Tensor.NoGrad()) y = (x * 2f).Sum();
        Assert.True(y.IsLeaf);
        var e = Assert.Throws<InvalidOperationException>(y.Backward);
        Assert.Contains("NoGrad", e.Message);
    }

    [Fact]
    public void BackwardNeedsAScalar()
    {
        var x = Tensor.Ones(3);
        x.RequiresGrad = true;
        var e = Assert.Throws<InvalidOperationException>((x * 2f).Backward);
        Assert.Contains("[3]", e.Message);
    }

    [Fact]
    public void IntermediatesAreReleasedButScalarsAndCopiesSurvive()
    {
        var x = Tensor.Ones(4, 4);
        x.RequiresGrad = true;
        Tensor hidden = Ops.Tanh(x);
        Tensor kept = hidden.Detach();
        Tensor partial = hidden.Sum();
        Tensor loss = partial * 2f;
        loss.Backward();
        Assert.Equal(MathF.Tanh(1f) * 16f, partial.Item(), 4);
        Assert.Equal(MathF.Tanh(1f), kept.At(0, 0), 6);
        var e = Assert.Throws<InvalidOperationException>(() => hidden.At(0, 0));
        Assert.Contains("released", e.Message);
        Assert.Equal(2f * (1f - MathF.Tanh(1f) * MathF.Tanh(1f)), x.Grad!.At(1, 2), 5);
    }

    [Fact]
    public void DeepChainsDoNotOverflowTheStack()
    {
        var x = Tensor.Ones(2);
        x.RequiresGrad = true;
        Tensor y = x;
        for (int i = 0; i < 20000; i++) y = y * 1f;
        y.Sum().Backward();
        Assert.Equal(1f, x.Grad!.At(0));
    }

    [Fact]
    public void ReshapeSharesStorage()
    {
        var x = Tensor.FromArray([1, 2, 3, 4, 5, 6], 2, 3);
        Tensor y = x.Reshape(3, 2);
        x.Span[5] = 60;
        Assert.Equal(60, y.At(2, 1));
    }
}
