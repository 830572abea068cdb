namespace Latent.Applications.Search;

/// <summary>How <see cref="IndexModel.Train(Latent.Engine.Tensor, int[], IndexModelOptions, IProgress{Latent.Training.TrainingProgress}, CancellationToken)"/> trains the dense autoencoder whose codes an index holds.</summary>
public sealed record IndexModelOptions
{
    /// <summary>Encoder layer widths (the decoder mirrors them).</summary>
    public int[] Hidden { get; init; } = [256, 128];

    /// <summary>Training epochs of the model, and of each code size tried when <see cref="CodeSize"/> is null.</summary>
    public int Epochs { get; init; } = 20;

    /// <summary>Rows per training step.</summary>
    public int BatchSize { get; init; } = 256;

    /// <summary>
    /// Values per code; null chooses it: codes of 2, 4, 8, ... values are tried (up to <see cref="MaxCodeSize"/>) and
    /// the smallest after which retrieval of held-out rows stops improving by <see cref="MinimumGain"/> is kept.
    /// </summary>
    public int? CodeSize { get; init; }

    /// <summary>Automatic code size: the largest size tried (and never more than the items' width).</summary>
    public int MaxCodeSize { get; init; } = 128;

    /// <summary>Automatic code size: share of the rows held out as queries to measure retrieval; the model kept is trained on the rest.</summary>
    public double HeldOut { get; init; } = 0.2;

    /// <summary>
    /// Automatic code size: the smallest gain in quality (precision@10 by label, or recall@10 of raw-space neighbours,
    /// both in [0, 1]) that still counts as improving. A hundredth is about one more right neighbour per ten queries.
    /// </summary>
    public double MinimumGain { get; init; } = 0.01;

    /// <summary>Automatic code size: the distance that measures retrieval; cosine retrieves best on autoencoder codes.</summary>
    public DistanceMetric Metric { get; init; } = DistanceMetric.Cosine;

    /// <summary>Seeds the weights, the shuffling and the held-out rows: same seed, same model.</summary>
    public ulong Seed { get; init; }

    internal void Validate()
    {
        if (Hidden.Any(h => h < 1)) throw new ArgumentException($"Hidden layer widths must be at least 1; got [{string.Join(", ", Hidden)}].");
        if (Epochs < 1) throw new ArgumentException($"Epochs must be at least 1, not {Epochs}.");
        if (BatchSize < 1) throw new ArgumentException($"The batch size must be at least 1, not {BatchSize}.");
        if (CodeSize is < 1) throw new ArgumentException($"The code size must be at least 1, not {CodeSize}.");
        if (MaxCodeSize < 2) throw new ArgumentException($"MaxCodeSize must be at least 2, not {MaxCodeSize}.");
        if (!(HeldOut > 0 && HeldOut < 1)) throw new ArgumentException($"HeldOut must be in (0, 1), not {HeldOut}.");
        if (!(MinimumGain >= 0)) throw new ArgumentException($"MinimumGain must be at least 0, not {MinimumGain}.");
    }
}
