using Latent.Engine.Losses;
using Latent.Engine.Nn;
using Latent.Engine.Optim;
using Latent.Engine.Tests.Nn;

namespace Latent.Engine.Tests.Convolution;

/// <summary>Runs in the allocation tests' collection: it counts managed allocations of the whole process.</summary>
[Collection(nameof(AllocationTests))]
public class ConvAllocationTests
{
    [Fact]
    public void ConvolutionalTrainingStepAllocatesAlmostNothingAfterWarmUp()
    {
        // Every layer kind on the direct and the GEMM path; after warm-up only the small graph objects remain.
        var rng = new Rng(1);
        var model = new Sequential(
            new Conv2d(1, 8, 3, padding: Padding2d.Same, activation: Activation.Relu, rng: rng), new MaxPool2d(2),
            new Conv2d(8, 16, 3, stride: 2, padding: 1, activation: Activation.Relu, rng: rng), new BatchNorm2d(16),
            new ConvTranspose2d(16, 8, 3, stride: 2, padding: 1, outputPadding: 1, activation: Activation.Relu, rng: rng),
            new Upsample(2), new AvgPool2d(3, stride: 1, padding: 1), new Conv2d(8, 1, 3, padding: 1, rng: rng));
        var adam = new Adam(model.Parameters());
        var batch = Tensor.Uniform(rng, 0f, 1f, 16, 1, 16, 16);

        void Step()
        {
            adam.ZeroGrad();
            Loss.BinaryCrossEntropyWithLogits(model.Forward(batch), batch).Backward();
            adam.Step();
        }

        for (int i = 0; i < 5; i++) Step();
        const int steps = 10;
        long before = GC.GetTotalAllocatedBytes(precise: true);
        for (int i = 0; i < steps; i++) Step();
        long perStep = (GC.GetTotalAllocatedBytes(precise: true) - before) / steps;
        Assert.True(perStep < 12 * 1024, $"a training step allocated {perStep} bytes on the managed heap");
    }
}
