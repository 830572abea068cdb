using Latent.Engine;
using Latent.Engine.Losses;
using Latent.Engine.Nn;
using Latent.Engine.Optim;

namespace Latent.Engine.Tests.Nn;

/// <summary>Runs alone: it counts managed allocations of the whole process.</summary>
[CollectionDefinition(nameof(AllocationTests), DisableParallelization = true)]
public class AllocationCollection;

[Collection(nameof(AllocationTests))]
public class AllocationTests
{
    [Fact]
    public void TrainingStepAllocatesAlmostNothingAfterWarmUp()
    {
        // A 784-256-32-256-784 autoencoder step on a batch of 128 moves ~10 MB of tensor data;
        // after warm-up, the managed heap should only see the small graph objects (tensors, nodes, shapes).
        var rng = new Rng(1);
        var model = new Sequential(
            new Linear(784, 256, activation: Activation.Relu, rng: rng), new Linear(256, 32, rng: rng),
            new Linear(32, 256, activation: Activation.Relu, rng: rng), new Linear(256, 784, rng: rng));
        var adam = new Adam(model.Parameters());
        var batch = Tensor.Uniform(rng, 0f, 1f, 128, 784);

        void Step()
        {
            adam.ZeroGrad();
            Loss.BinaryCrossEntropyWithLogits(model.Forward(batch), batch).Backward();
            adam.Step();
        }

        for (int i = 0; i < 5; i++) Step();
        const int steps = 20;
        long before = GC.GetTotalAllocatedBytes(precise: true);
        for (int i = 0; i < steps; i++) Step();
        long perStep = (GC.GetTotalAllocatedBytes(precise: true) - before) / steps;
        Assert.True(perStep < 8 * 1024, $"a training step allocated {perStep} bytes on the managed heap");
    }
}
