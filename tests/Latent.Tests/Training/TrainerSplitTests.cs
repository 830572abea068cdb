using Latent.Engine;
using Latent.Engine.Nn;
using Latent.Training;

namespace Latent.Tests.Training;

public class TrainerSplitTests
{
    /// <summary>Records which rows (by the id in column 0) each batch held, in training and in validation.</summary>
    private sealed class RowRecorder : ITrainable
    {
        private readonly Linear _layer = new(1, 1);

        public HashSet<int> Trained { get; } = [];
        public HashSet<int> Validated { get; } = [];

        public Module Network => _layer;

        public Tensor Loss(Tensor batch, Rng rng)
        {
            var seen = _layer.IsTraining ? Trained : Validated;
            for (int r = 0; r < batch.Dim(0); r++) seen.Add((int)batch.Span[r]);
            var ids = Tensor.FromArray(batch.ToArray(), batch.Dim(0), 1);   // read again by Backward: not disposed here
            return (_layer.Forward(ids) * 0f).Sum();
        }
    }

    [Fact]
    public void EveryTrainingRowIsUsedAndNoValidationRowIsTrainedOn()
    {
        const int rows = 100;
        var data = Tensor.FromArray([.. Enumerable.Range(0, rows).Select(i => (float)i)], rows, 1);
        var model = new RowRecorder();
        Trainer.Fit(model, data, new FitOptions { Epochs = 3, BatchSize = 16, ValidationFraction = 0.2f, Seed = 1 }, null, default);
        Assert.Equal(20, model.Validated.Count);
        Assert.Empty(model.Trained.Intersect(model.Validated));
        Assert.Equal(rows, model.Trained.Count + model.Validated.Count);
    }

    [Fact]
    public void ShuffleKeepsTheValuesItIsGiven()
    {
        int[] values = [10, 20, 30, 40, 50, 60, 70];
        new Rng(2).Shuffle(values);
        Assert.Equal([10, 20, 30, 40, 50, 60, 70], values.Order());
    }
}
