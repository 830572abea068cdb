using Latent.Engine;
using Latent.Engine.Nn;
using Latent.Models;
using Latent.Training;

namespace Latent.Tests.Training;

/// <summary>When the loss stops being a number: the model goes back to its best weights and the failure says which, and can save them.</summary>
public class TrainerDivergenceTests
{
    /// <summary>A loss that falls for <paramref name="goodBatches"/> batches, then is NaN.</summary>
    private sealed class FailsLater(int goodBatches) : ITrainable
    {
        private readonly Linear _layer = new(1, 1);
        private int _batches;

        public Module Network => _layer;

        public Tensor Loss(Tensor batch, Rng rng)
        {
            float level = _layer.IsTraining && ++_batches > goodBatches ? float.NaN : 1f / (1 + _batches);
            var input = Tensor.FromArray(batch.ToArray(), batch.Dim(0), 1);   // read again by Backward: not disposed here
            return (_layer.Forward(input) * 0f).Sum() + level;
        }
    }

    [Fact]
    public void TheFailureNamesTheEpochAndTheWeightsTheModelHoldsAgain()
    {
        var data = Tensor.FromArray([.. Enumerable.Range(0, 40).Select(i => (float)i)], 40, 1);
        var options = new FitOptions { Epochs = 10, BatchSize = 10, ValidationFraction = 0, LearningRate = 0.5f };
        var e = Assert.Throws<TrainingDivergedException>(() => Trainer.Fit(new FailsLater(goodBatches: 9), data, options, null, default));
        Assert.Equal("Training diverged at epoch 3, batch 2 of 4: the loss became NaN. The model is back at the weights of epoch 2, its best before that.", e.Message);
        Assert.Equal(2, e.LastGoodEpoch);
        Assert.Equal(0.5f, e.LearningRate);
        Assert.Null(e.SaveLastGood);   // not a model that can be saved on its own
        Assert.DoesNotContain("clipping", e.Message);
    }

    [Fact]
    public void AModelThatDivergesCanSaveItsLastGoodWeights()
    {
        using var folder = new TempFolder();
        Tensor data = Tensor.FromArray([.. Enumerable.Range(0, 64 * 40).Select(i => 1000f * MathF.Sin(i))], 40, 64);
        var model = new DenseAutoencoder(new DenseAutoencoderConfig { Inputs = 64, Hidden = [32], CodeSize = 8, Output = Activation.Identity });
        var e = Assert.Throws<TrainingDivergedException>(() => model.Fit(data, new FitOptions { Epochs = 50, LearningRate = 1e6f, Optimizer = OptimizerKind.Sgd }));
        Assert.NotNull(e.SaveLastGood);
        e.SaveLastGood(folder.File("kept.safetensors"));
        IAutoencoder kept = ModelFile.OpenAutoencoder(folder.File("kept.safetensors"));
        Assert.Equal(model.Encode(data).ToArray(), kept.Encode(data).ToArray());
    }
}
