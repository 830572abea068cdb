namespace Latent.Applications.Features;

/// <summary>How a <see cref="Classifier"/> learns.</summary>
public sealed record ClassifierOptions
{
    /// <summary>Hidden layer widths (ReLU); none gives softmax regression (multinomial logistic regression).</summary>
    public int[] Hidden { get; init; } = [];
    /// <summary>Full passes over the labelled rows.</summary>
    public int Epochs { get; init; } = 200;
    /// <summary>Rows per step; the whole set when it is smaller.</summary>
    public int BatchSize { get; init; } = 256;
    /// <summary>The optimizer's learning rate.</summary>
    public float LearningRate { get; init; } = 1e-2f;
    /// <summary>Decoupled weight decay (AdamW): the regularisation that matters when labels are few.</summary>
    public float WeightDecay { get; init; } = 1e-2f;
    /// <summary>Seeds the initial weights and the batches.</summary>
    public ulong Seed { get; init; }

    internal void Validate()
    {
        if (Hidden.Any(h => h < 1)) throw new ArgumentException($"Hidden layer widths must be at least 1; got [{string.Join(", ", Hidden)}].");
        if (Epochs < 1) throw new ArgumentException($"Epochs must be at least 1, not {Epochs}.");
        if (BatchSize < 1) throw new ArgumentException($"The batch size must be at least 1, not {BatchSize}.");
        if (!(LearningRate > 0) || !float.IsFinite(LearningRate)) throw new ArgumentException($"The learning rate must be a positive number, not {LearningRate}.");
        if (!(WeightDecay >= 0) || !float.IsFinite(WeightDecay)) throw new ArgumentException($"The weight decay must be 0 or more, not {WeightDecay}.");
    }
}
