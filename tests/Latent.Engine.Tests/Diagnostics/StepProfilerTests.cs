using Latent.Engine.Diagnostics;
using Latent.Engine.Losses;
using Latent.Engine.Nn;
using Latent.Engine.Optim;

namespace Latent.Engine.Tests.Diagnostics;

public class StepProfilerTests
{
    [Fact]
    public void ATrainingStepIsSplitIntoItsKindsWithoutCountingAnythingTwice()
    {
        var layer = new Linear(300, 200, activation: Activation.Sigmoid, rng: new Rng(1));
        var optimizer = new Adam(layer.Parameters());
        Tensor x = GradCheck.Random(2, 64, 300), target = GradCheck.Random(3, 64, 200);

        StepProfiler.Start();
        for (int step = 0; step < 5; step++)
        {
            optimizer.ZeroGrad();
            Tensor y = layer.Forward(x);
            Loss.Mse(Ops.Multiply(y, y), target).Backward();   // the multiply: element-wise work, forward and backward
            optimizer.Step();
        }
        StepBreakdown breakdown = StepProfiler.Stop();

        Assert.True(breakdown[WorkKind.Gemm] > 0, "GEMM time");
        Assert.True(breakdown[WorkKind.Elementwise] > 0, "element-wise time");
        Assert.True(breakdown[WorkKind.Loss] > 0, "loss time");
        Assert.True(breakdown[WorkKind.Optimizer] > 0, "optimiser time");
        Assert.Equal(0, breakdown[WorkKind.Convolution]);
        // Nested scopes count once: the kinds never add up to more than the wall time.
        Assert.True(breakdown.Seconds.Sum() <= breakdown.TotalSeconds, $"{breakdown.Seconds.Sum()} s of kinds in {breakdown.TotalSeconds} s");
    }

    [Fact]
    public void OnlyTheRecordingThreadIsCounted()
    {
        StepProfiler.Start();
        var other = new Thread(() => Ops.Relu(GradCheck.Random(4, 100_000)).Dispose());
        other.Start();
        other.Join();
        Assert.All(StepProfiler.Stop().Seconds, s => Assert.Equal(0, s));
    }
}
