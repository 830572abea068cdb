namespace Latent.Training;

/// <summary>Which optimizer trains the model.</summary>
public enum OptimizerKind
{
    /// <summary>Adam with L2 weight decay.</summary>
    Adam,
    /// <summary>Adam with decoupled weight decay.</summary>
    AdamW,
    /// <summary>Stochastic gradient descent with momentum.</summary>
    Sgd,
    /// <summary>Full-batch Rprop: only the gradients' signs count (use a batch of all the rows).</summary>
    Rprop,
}

/// <summary>How the learning rate changes over the epochs.</summary>
public enum ScheduleKind
{
    /// <summary>The same rate throughout.</summary>
    Constant,
    /// <summary>Halves the rate every <see cref="FitOptions.StepEvery"/> epochs.</summary>
    Step,
    /// <summary>Cosine annealing from the initial rate to 1% of it over all epochs.</summary>
    Cosine,
}

/// <summary>How to train: every setting of the shared training loop, with the defaults most data needs.</summary>
public sealed record FitOptions
{
    /// <summary>Passes over the training rows.</summary>
    public int Epochs { get; init; } = 20;
    /// <summary>Rows per training step.</summary>
    public int BatchSize { get; init; } = 256;
    /// <summary>The optimizer's initial learning rate.</summary>
    public float LearningRate { get; init; } = 1e-3f;
    /// <summary>Which optimizer trains the model.</summary>
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Adam;
    /// <summary>L2 penalty (Adam, SGD) or decoupled decay (AdamW).</summary>
    public float WeightDecay { get; init; }
    /// <summary>SGD momentum.</summary>
    public float Momentum { get; init; } = 0.9f;
    /// <summary>How the learning rate changes over the epochs.</summary>
    public ScheduleKind Schedule { get; init; } = ScheduleKind.Constant;
    /// <summary>Epochs between halvings of the <see cref="ScheduleKind.Step"/> schedule.</summary>
    public int StepEvery { get; init; } = 10;
    /// <summary>Clips the global gradient norm to this value when set.</summary>
    public float? ClipGradientNorm { get; init; }
    /// <summary>Fraction of the rows held out to measure validation loss (0 = none).</summary>
    public float ValidationFraction { get; init; } = 0.1f;
    /// <summary>Stops after this many epochs without a better validation loss (null = never stop early).</summary>
    public int? Patience { get; init; }
    /// <summary>Whether the weights of the best validation epoch are restored at the end.</summary>
    public bool RestoreBestWeights { get; init; } = true;
    /// <summary>
    /// Polyak averaging: when set, an exponential moving average of the weights with this decay per training step
    /// (0.999 averages over roughly the last 1,000 steps) is what validation measures, what the best-weights restore
    /// keeps and what the model holds after training; null (the default) keeps the trained weights themselves.
    /// </summary>
    public float? AverageWeights { get; init; }
    /// <summary>Moves training images by random small shifts (augmentation), or null for none.</summary>
    public RandomShift? Shift { get; init; }
    /// <summary>Seeds initialisation, shuffling, the validation split and noise: same seed, same result.</summary>
    public ulong Seed { get; init; }
    internal void Validate()
    {
        if (Epochs < 1) throw new ArgumentException($"Epochs must be at least 1, not {Epochs}.");
        if (BatchSize < 1) throw new ArgumentException($"The batch size must be at least 1, not {BatchSize}.");
        if (!(LearningRate > 0) || !float.IsFinite(LearningRate)) throw new ArgumentException($"The learning rate must be a positive number, not {LearningRate}.");
        if (!(ValidationFraction >= 0 && ValidationFraction < 1)) throw new ArgumentException($"The validation fraction must be in [0, 1), not {ValidationFraction}.");
        if (Patience is < 1) throw new ArgumentException($"Patience must be at least 1 epoch, not {Patience}.");
        if (StepEvery < 1) throw new ArgumentException($"StepEvery must be at least 1, not {StepEvery}.");
        if (AverageWeights is { } a && !(a > 0 && a < 1)) throw new ArgumentException($"The weight averaging decay must be between 0 and 1, not {a}.");
        if (ClipGradientNorm is { } c && !(c > 0)) throw new ArgumentException($"The gradient clipping norm must be positive, not {c}.");
    }
}
