namespace Latent.Applications.Reduction;

/// <summary>How rows are reduced: an autoencoder's code or PCA's leading components.</summary>
public enum ReductionMethod
{
    /// <summary>A dense autoencoder.</summary>
    Autoencoder,
    /// <summary>Principal component analysis (the linear baseline).</summary>
    Pca,
}

/// <summary>How a <see cref="Reducer"/> learns. The autoencoder settings are ignored by PCA.</summary>
public sealed record ReducerOptions
{
    /// <summary>Dimensions of the reduced rows (the code size); 2 draws a map.</summary>
    public int Dimensions { get; init; } = 2;
    /// <summary>How the codes are learned.</summary>
    public ReductionMethod Method { get; init; } = ReductionMethod.Autoencoder;
    /// <summary>Encoder widths; the decoder mirrors them.</summary>
    public int[] Hidden { get; init; } = [256, 128];
    /// <summary>Passes over the data (autoencoder).</summary>
    public int Epochs { get; init; } = 30;
    /// <summary>Rows per training step (autoencoder).</summary>
    public int BatchSize { get; init; } = 256;
    /// <summary>Adam's learning rate (autoencoder).</summary>
    public float LearningRate { get; init; } = 1e-3f;
    /// <summary>Seeds the autoencoder's weights and batches, or PCA's randomized solver (wide data only).</summary>
    public ulong Seed { get; init; }

    internal void Validate()
    {
        if (Dimensions < 1) throw new ArgumentException($"Dimensions must be at least 1, not {Dimensions}.");
        if (!Enum.IsDefined(Method)) throw new ArgumentException($"Unknown reduction method {Method}.");
        if (Hidden.Any(h => h < 1)) throw new ArgumentException($"Hidden layer widths must be at least 1; got [{string.Join(", ", Hidden)}].");
        if (Epochs < 1) throw new ArgumentException($"Epochs must be at least 1, not {Epochs}.");
        if (BatchSize < 1) throw new ArgumentException($"The batch size must be at least 1, not {BatchSize}.");
        if (!(LearningRate > 0) || !float.IsFinite(LearningRate)) throw new ArgumentException($"The learning rate must be a positive number, not {LearningRate}.");
    }
}
