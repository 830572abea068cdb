namespace Latent.Applications.Features;

/// <summary>How a <see cref="SwapNoiseAutoencoder"/> learns.</summary>
public sealed record SwapNoiseOptions
{
    /// <summary>Hidden layer widths; the features are all their activations side by side.</summary>
    public int[] Hidden { get; init; } = [256, 256, 256];
    /// <summary>Probability that a cell is replaced by the same column's value from another random row.</summary>
    public float SwapProbability { get; init; } = 0.15f;
    /// <summary>Passes over the data.</summary>
    public int Epochs { get; init; } = 30;
    /// <summary>Rows per training step.</summary>
    public int BatchSize { get; init; } = 128;
    /// <summary>Adam's learning rate.</summary>
    public float LearningRate { get; init; } = 1e-3f;
    /// <summary>Seeds the initial weights, the batches and the swaps.</summary>
    public ulong Seed { get; init; }

    internal void Validate()
    {
        if (Hidden.Length == 0 || Hidden.Any(h => h < 1)) throw new ArgumentException("Hidden needs at least one layer, each of at least one unit.");
        if (!(SwapProbability is >= 0 and < 1)) throw new ArgumentException($"The swap probability must be in [0, 1), not {SwapProbability}.");
        if (Epochs < 1) throw new ArgumentException($"Epochs must be at least 1, not {Epochs}.");
        if (BatchSize < 1) throw new ArgumentException($"The batch size must be at least 1, not {BatchSize}.");
        if (!(LearningRate > 0) || !float.IsFinite(LearningRate)) throw new ArgumentException($"The learning rate must be a positive number, not {LearningRate}.");
    }
}
