using Latent.Engine;
using Latent.Engine.Optim;
using Latent.Models;
using Latent.Training;

namespace Latent.Applications.AnomalyDetection;

/// <summary>
/// Trains one member of a detector's ensemble robustly: mini-batch Adam on the mean squared reconstruction error,
/// where after a warm-up quarter of the epochs every epoch leaves out the rows the model currently rebuilds worst
/// (<see cref="AnomalyOptions.TrimFraction"/>). Anomalies hidden among the training rows are among those left out,
/// so they stop pulling the model towards them: a trimmed least-squares fit.
/// </summary>
internal static class TrimmedTraining
{
    public static void Run(DenseAutoencoder model, Tensor sample, AnomalyOptions options, Rng rng, CancellationToken cancel)
    {
        var trainable = (ITrainable)model;
        var network = trainable.Network;
        var optimizer = new Adam(network.Parameters(), options.LearningRate, weightDecay: options.WeightDecay);
        int rows = sample.Dim(0);
        int keep = Math.Max(1, rows - (int)(rows * options.TrimFraction));
        int warmUp = Math.Max(1, options.Epochs / 4);
        // Trimmed epochs take as many steps as full ones, with smaller batches: trimming changes what is learned, not how long.
        int batches = (rows + options.BatchSize - 1) / options.BatchSize;
        int[] active = [.. Enumerable.Range(0, rows)];
        network.Train();
        try
        {
            for (int epoch = 0; epoch < options.Epochs; epoch++)
            {
                cancel.ThrowIfCancellationRequested();
                if (epoch >= warmUp && keep < rows) active = BestRebuilt(model, sample, keep);
                Shuffle(active, rng);
                for (int b = 0; b < batches; b++)
                {
                    int start = b * active.Length / batches, n = (b + 1) * active.Length / batches - start;
                    if (n == 0) continue;
                    using Tensor batch = SelectRows(sample, active.AsSpan(start, n));
                    optimizer.ZeroGrad();
                    Tensor loss = trainable.Loss(batch, rng);
                    float value = loss.Item();
                    if (!float.IsFinite(value))
                        throw new TrainingDivergedException($"Training diverged at epoch {epoch + 1}: the loss became {value}; try a lower learning rate.");
                    loss.Backward();
                    optimizer.Step();
                }
            }
        }
        finally
        {
            network.Eval();
        }
    }

    /// <summary>The <paramref name="keep"/> rows with the lowest reconstruction error.</summary>
    private static int[] BestRebuilt(DenseAutoencoder model, Tensor sample, int keep)
    {
        float[] errors = model.ReconstructionError(sample);
        int[] order = [.. Enumerable.Range(0, errors.Length)];
        Array.Sort(errors, order);
        return order[..keep];
    }

    /// <summary>Fisher–Yates in place (<see cref="Rng.Permutation(Span{int})"/> would overwrite the values with 0..n−1).</summary>
    private static void Shuffle(int[] values, Rng rng)
    {
        for (int i = values.Length - 1; i > 0; i--)
        {
            int j = rng.NextInt(i + 1);
            (values[i], values[j]) = (values[j], values[i]);
        }
    }

    private static Tensor SelectRows(Tensor data, ReadOnlySpan<int> rows)
    {
        using (Tensor.NoGrad()) return Ops.SelectRows(data, rows);
    }
}
