using System.Diagnostics;
using Latent.Engine;
using Latent.Engine.Optim;
using Latent.Models;

namespace Latent.Training;

/// <summary>
/// The one training loop every model uses: seeded shuffled mini-batches, a held-out validation split,
/// learning-rate schedule, gradient clipping, early stopping with best-weights restore, cancellation,
/// progress callbacks, and a divergence guard that restores the last good weights and stops with a clear
/// message instead of leaving garbage behind.
/// </summary>
internal static class Trainer
{
    /// <param name="progress">Told after every batch and at the end of every epoch, on the training thread.</param>
    public static History Fit(ITrainable model, Tensor data, FitOptions options, IProgress<TrainingProgress>? progress, CancellationToken cancel)
    {
        options.Validate();
        options.Shift?.Validate(data.Dim(1));
        int rows = data.Dim(0);
        // Salted: models seed their initial weights from the same number, and the split and shuffles must not replay that stream.
        var rng = new Rng(options.Seed ^ 0x5EED_0F_7A1Bul);
        int[] order = rng.Permutation(rows);
        int validationRows = options.ValidationFraction > 0 && rows >= 10 ? Math.Max(1, (int)(rows * options.ValidationFraction)) : 0;
        int[] validation = order[..validationRows], train = order[validationRows..];
        if (train.Length == 0) throw new ArgumentException("There are no rows to train on.");

        var parameters = model.Network.Parameters();
        Optimizer optimizer = CreateOptimizer(parameters, options);
        LearningRateSchedule? schedule = options.Schedule switch
        {
            ScheduleKind.Step => new StepSchedule(optimizer, options.StepEvery, 0.5f),
            ScheduleKind.Cosine => new CosineSchedule(optimizer, options.Epochs, options.LearningRate * 0.01f),
            _ => null,
        };

        var history = new History();
        // Buffers (running statistics) belong to the best state as much as the parameters do.
        var state = model.Network.NamedTensors().Select(t => t.Tensor).ToList();
        // With averaging, the model holds the average between epochs (validation, best weights, progress) and at the end.
        WeightAverage? average = options.AverageWeights is { } decay ? new WeightAverage(state, decay) : null;
        float[][] best = Snapshot(state);
        float bestLoss = float.PositiveInfinity;
        int batches = (train.Length + options.BatchSize - 1) / options.BatchSize, sinceBest = 0;
        model.Network.Train();
        try
        {
            for (int epoch = 1; epoch <= options.Epochs; epoch++)
            {
                if (cancel.IsCancellationRequested)
                {
                    history.StopReason = StopReason.Cancelled;
                    break;
                }
                average?.Hold(false);
                var clock = Stopwatch.StartNew();
                int[] epochRows = model.EpochRows(epoch, train);
                rng.Shuffle(epochRows);
                double lossSum = 0;
                for (int b = 0; b < batches; b++)
                {
                    // A model that trains on fewer rows this epoch (see ITrainable.EpochRows) takes as many, smaller steps.
                    var (start, n) = epochRows.Length == train.Length
                        ? (b * options.BatchSize, Math.Min(options.BatchSize, train.Length - b * options.BatchSize))
                        : (b * epochRows.Length / batches, (b + 1) * epochRows.Length / batches - b * epochRows.Length / batches);
                    if (n == 0) continue;
                    float loss = Step(model, optimizer, data, epochRows.AsSpan(start, n), rng, options);
                    if (!float.IsFinite(loss))
                    {
                        Restore(state, best);
                        throw Diverged($"Training diverged at epoch {epoch}, batch {b + 1} of {batches}: the loss became {loss}.", model, history, options);
                    }
                    average?.Update();
                    lossSum += (double)loss * n;
                    progress?.Report(new TrainingProgress(epoch, options.Epochs, b + 1, batches, (float)(lossSum / (start + n)),
                        (start + n) / clock.Elapsed.TotalSeconds, null));
                    if (cancel.IsCancellationRequested) break;
                }
                if (cancel.IsCancellationRequested)
                {
                    history.StopReason = StopReason.Cancelled;
                    break;
                }
                double seconds = clock.Elapsed.TotalSeconds;
                average?.Hold(true);
                float trainLoss = (float)(lossSum / epochRows.Length);
                float? validationLoss = validationRows > 0 ? Evaluate(model, data, validation, options.BatchSize, rng) : null;
                var report = new EpochReport(epoch, trainLoss, validationLoss, seconds, epochRows.Length / seconds, optimizer.LearningRate);
                history.Add(report);
                schedule?.Step();

                float monitored = validationLoss ?? trainLoss;
                if (!float.IsFinite(monitored))
                {
                    Restore(state, best);
                    throw Diverged($"Training diverged at epoch {epoch}: the validation loss became {monitored}.", model, history, options);
                }
                if (monitored < bestLoss)
                {
                    bestLoss = monitored;
                    history.BestEpoch = epoch;
                    sinceBest = 0;
                    Copy(state, best);
                }
                else sinceBest++;
                progress?.Report(new TrainingProgress(epoch, options.Epochs, batches, batches, trainLoss, report.SamplesPerSecond, report));
                if (options.Patience is { } patience && sinceBest >= patience)
                {
                    history.StopReason = StopReason.EarlyStopped;
                    break;
                }
            }
            average?.Hold(true);
            if (options.RestoreBestWeights && history.BestEpoch > 0) Restore(state, best);
        }
        finally
        {
            model.Network.Eval();
        }
        return history;
    }

    /// <summary>The failure, once the model holds its best weights again (those of <see cref="History.BestEpoch"/>).</summary>
    private static TrainingDivergedException Diverged(string what, ITrainable model, History history, FitOptions options)
    {
        Action<string>? save = model is ISavedModel saved ? path => ModelFile.Save(path, saved.Content()) : null;
        string kept = history.BestEpoch > 0 ? $"the weights of epoch {history.BestEpoch}, its best before that" : "its initial weights";
        return new TrainingDivergedException($"{what} The model is back at {kept}.", history.BestEpoch, options.LearningRate, save);
    }

    private static float Step(ITrainable model, Optimizer optimizer, Tensor data, ReadOnlySpan<int> rows, Rng rng, FitOptions options)
    {
        using Tensor batch = SelectRows(data, rows);
        options.Shift?.Apply(batch, rng);
        optimizer.ZeroGrad();
        Tensor loss = model.Loss(batch, rows, rng);
        float value = loss.Item();
        if (!float.IsFinite(value)) return value;
        loss.Backward();
        if (options.ClipGradientNorm is { } max && !float.IsFinite(optimizer.ClipGradNorm(max))) return float.NaN;
        optimizer.Step();
        return value;
    }

    private static float Evaluate(ITrainable model, Tensor data, int[] rows, int batchSize, Rng rng)
    {
        model.Network.Eval();
        try
        {
            using (Tensor.NoGrad())
            {
                // Evaluation noise (if any) comes from a fixed generator so that epochs are comparable.
                var evalRng = new Rng(12345);
                double sum = 0;
                for (int start = 0; start < rows.Length; start += batchSize)
                {
                    int n = Math.Min(batchSize, rows.Length - start);
                    using Tensor batch = SelectRows(data, rows.AsSpan(start, n));
                    sum += (double)model.Loss(batch, rows.AsSpan(start, n), evalRng).Item() * n;
                }
                return (float)(sum / rows.Length);
            }
        }
        finally
        {
            model.Network.Train();
        }
    }

    internal static Tensor SelectRows(Tensor data, ReadOnlySpan<int> rows)
    {
        using (Tensor.NoGrad()) return Ops.SelectRows(data, rows);
    }

    private static Optimizer CreateOptimizer(IReadOnlyList<Tensor> parameters, FitOptions o) => o.Optimizer switch
    {
        OptimizerKind.AdamW => new AdamW(parameters, o.LearningRate, weightDecay: o.WeightDecay),
        OptimizerKind.Sgd => new Sgd(parameters, o.LearningRate, o.Momentum, o.WeightDecay),
        OptimizerKind.Rprop => new Rprop(parameters, o.LearningRate),
        _ => new Adam(parameters, o.LearningRate, weightDecay: o.WeightDecay),
    };

    private static float[][] Snapshot(IReadOnlyList<Tensor> parameters) => [.. parameters.Select(p => p.ToArray())];

    private static void Copy(IReadOnlyList<Tensor> parameters, float[][] into)
    {
        for (int i = 0; i < parameters.Count; i++) parameters[i].Span.CopyTo(into[i]);
    }

    private static void Restore(IReadOnlyList<Tensor> parameters, float[][] from)
    {
        for (int i = 0; i < parameters.Count; i++) from[i].CopyTo(parameters[i].Span);
    }
}
