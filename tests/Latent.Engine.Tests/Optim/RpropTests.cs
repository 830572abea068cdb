using Latent.Engine;
using Latent.Engine.Optim;

namespace Latent.Engine.Tests.Optim;

/// <summary>Rprop's step-size rule, by hand, as PyTorch's torch.optim.Rprop applies it.</summary>
public class RpropTests
{
    [Fact]
    public void StepsGrowWhileTheSignHoldsAndShrinkWithoutMovingWhenItFlips()
    {
        var p = Tensor.FromArray([1f], 1);
        p.RequiresGrad = true;
        var rprop = new Rprop([p], learningRate: 0.1f);
        void StepWithGradient(float g)
        {
            rprop.ZeroGrad();
            (p * Tensor.FromArray([g], 1)).Sum().Backward();
            rprop.Step();
        }

        StepWithGradient(2f);    // first step: the initial size 0.1 against the sign
        Assert.Equal(0.9f, p.At(0), 6);
        StepWithGradient(5f);    // same sign: 0.1·1.2 = 0.12
        Assert.Equal(0.78f, p.At(0), 6);
        StepWithGradient(-1f);   // flipped: size 0.06 and no move
        Assert.Equal(0.78f, p.At(0), 6);
        StepWithGradient(-1f);   // after a flip the comparison restarts: a plain step of 0.06
        Assert.Equal(0.84f, p.At(0), 6);
    }

    [Fact]
    public void FullBatchRpropMinimisesAQuadratic()
    {
        var p = Tensor.FromArray([3f, -4f, 0.5f], 3);
        p.RequiresGrad = true;
        var target = Tensor.FromArray([1f, 2f, -1f], 3);
        var rprop = new Rprop([p]);
        for (int i = 0; i < 200; i++)
        {
            rprop.ZeroGrad();
            Tensor d = p - target;
            (d * d).Sum().Backward();
            rprop.Step();
        }
        for (int i = 0; i < 3; i++) Assert.Equal(target.At(i), p.At(i), 3);
    }
}
