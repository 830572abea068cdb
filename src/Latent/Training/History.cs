namespace Latent.Training;

/// <summary>One finished epoch: losses, time and throughput.</summary>
public sealed record EpochReport(int Epoch, float TrainLoss, float? ValidationLoss, double Seconds, double SamplesPerSecond, float LearningRate);

/// <summary>
/// Where training is: after each batch <see cref="EpochEnded"/> is null; after each epoch it is that epoch's report.
/// <see cref="Stage"/> names the part of a longer fit being trained (e.g. "member 3 of 10"), or is null.
/// </summary>
public sealed record TrainingProgress(int Epoch, int Epochs, int Batch, int Batches, float RunningLoss, double SamplesPerSecond, EpochReport? EpochEnded,
    string? Stage = null);

/// <summary>Why training ended.</summary>
public enum StopReason
{
    /// <summary>Every epoch ran.</summary>
    Completed,
    /// <summary>The validation loss stopped improving (patience ran out).</summary>
    EarlyStopped,
    /// <summary>The caller's cancellation token stopped it.</summary>
    Cancelled,
}

/// <summary>What happened during <c>Fit</c>: one report per epoch, the best epoch and why training ended.</summary>
public sealed class History
{
    private readonly List<EpochReport> _epochs = [];

    /// <summary>One report per epoch, in order.</summary>
    public IReadOnlyList<EpochReport> Epochs => _epochs;

    /// <summary>The epoch (1-based) with the lowest validation loss (training loss without validation); 0 before any.</summary>
    public int BestEpoch { get; internal set; }

    /// <summary>Why training ended.</summary>
    public StopReason StopReason { get; internal set; } = StopReason.Completed;

    /// <summary>Seconds spent in all epochs.</summary>
    public double TotalSeconds => _epochs.Sum(e => e.Seconds);

    /// <summary>The loss that selected the best epoch.</summary>
    public float BestLoss => BestEpoch == 0 ? float.NaN : _epochs[BestEpoch - 1].ValidationLoss ?? _epochs[BestEpoch - 1].TrainLoss;

    internal void Add(EpochReport report) => _epochs.Add(report);
}

/// <summary>
/// Training produced a non-finite loss. The model is back at the weights of <see cref="LastGoodEpoch"/> (its best epoch
/// before the failure; 0: its initial weights) and should not be taken as trained; <see cref="SaveLastGood"/> writes it
/// as it is, to look at or to start again from.
/// </summary>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>Training diverged, as <paramref name="message"/> says.</summary>
    public TrainingDivergedException(string message) : base(message)
    {
    }

    internal TrainingDivergedException(string message, int lastGoodEpoch, float learningRate, Action<string>? saveLastGood) : base(message)
    {
        LastGoodEpoch = lastGoodEpoch;
        LearningRate = learningRate;
        SaveLastGood = saveLastGood;
    }

    /// <summary>The epoch whose weights the model holds again (1-based; 0 for the initial weights).</summary>
    public int LastGoodEpoch { get; }

    /// <summary>The learning rate the training was given (a lower one is the usual cure).</summary>
    public float LearningRate { get; }

    /// <summary>Saves the model with those weights, as its own Save would; null when the trained network is not a model on its own (an ensemble member, say).</summary>
    public Action<string>? SaveLastGood { get; }
}
