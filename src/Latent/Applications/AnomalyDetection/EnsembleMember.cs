using Latent.Engine;
using Latent.Engine.Nn;
using Latent.Models;
using Latent.Models.Sequence;
using Latent.Training;

namespace Latent.Applications.AnomalyDetection;

/// <summary>
/// One autoencoder of a detector's ensemble as <see cref="Trainer"/> trains it robustly: after a warm-up quarter of
/// the epochs, every epoch leaves out the rows the model currently rebuilds worst (<see cref="AnomalyOptions.TrimFraction"/>),
/// and the Trainer takes as many, smaller steps on the rest. Anomalies hidden among the training rows are among
/// those left out, so they stop pulling the model towards them: a trimmed least-squares fit.
/// </summary>
internal sealed class EnsembleMember(IAutoencoder model, Tensor sample, AnomalyOptions options) : ITrainable
{
    private readonly ITrainable _model = (ITrainable)model;
    private readonly int _warmUp = Math.Max(1, options.Epochs / 4);

    public Module Network => _model.Network;

    public Tensor Loss(Tensor batch, Rng rng) => _model.Loss(batch, rng);

    /// <summary>All rows during the warm-up; then the <c>(1 − TrimFraction)</c> share of them with the lowest reconstruction error.</summary>
    public int[] EpochRows(int epoch, int[] train)
    {
        int keep = Math.Max(1, train.Length - (int)(train.Length * options.TrimFraction));
        if (epoch <= _warmUp || keep == train.Length) return train;
        float[] errors = model.ReconstructionError(sample);
        float[] trainErrors = [.. train.Select(r => errors[r])];
        int[] rows = [.. train];
        Array.Sort(trainErrors, rows);
        return rows[..keep];
    }

    /// <summary>Trains the member on its sample (the rows it was made with) through the shared loop.</summary>
    public void Train(ulong seed, IProgress<TrainingProgress>? progress, CancellationToken cancel)
    {
        var fit = new FitOptions
        {
            Epochs = options.Epochs,
            BatchSize = options.BatchSize,
            LearningRate = options.LearningRate,
            Optimizer = OptimizerKind.Adam,
            WeightDecay = options.WeightDecay,
            ValidationFraction = 0,
            RestoreBestWeights = false,   // the trimmed loss of late epochs is not comparable with the warm-up's; keep the last weights
            ClipGradientNorm = model is SequenceAutoencoder ? 1f : null,   // recurrent gradients can explode on a long window
            Seed = seed,
        };
        Trainer.Fit(this, sample, fit, progress, cancel);
    }
}
