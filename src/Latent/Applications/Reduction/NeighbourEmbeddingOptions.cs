namespace Latent.Applications.Reduction;

/// <summary>
/// How a <see cref="NeighbourEmbedding"/> lays rows out (the settings of UMAP, McInnes, Healy and Melville 2018, under
/// their names there: n_neighbors, min_dist, n_epochs, negative_sample_rate).
/// </summary>
public sealed record NeighbourEmbeddingOptions
{
    /// <summary>Dimensions of the embedding: 2 draws a map; clustering uses as many as clusters (N2D's choice).</summary>
    public int Dimensions { get; init; } = 2;

    /// <summary>
    /// Neighbours per row in the graph: fewer keep finer local structure, more a more global picture. 15 is UMAP's
    /// default; N2D clusters with 20.
    /// </summary>
    public int Neighbours { get; init; } = 15;

    /// <summary>How close neighbours may sit in the embedding (0 packs clusters tightly, which suits clustering; 0.1 is UMAP's map default).</summary>
    public float MinDistance { get; init; } = 0.1f;

    /// <summary>Passes of the layout over the graph's edges; null for UMAP's rule: 500 up to 10,000 rows, 200 above.</summary>
    public int? Epochs { get; init; }

    /// <summary>Random non-neighbours pushed away per neighbour pulled closer (UMAP's default).</summary>
    public int NegativeSamples { get; init; } = 5;

    /// <summary>Seeds the starting layout's jitter and the negative samples: same seed, same embedding.</summary>
    public ulong Seed { get; init; }

    internal void Validate()
    {
        if (Dimensions < 1) throw new ArgumentException($"The embedding needs at least 1 dimension, not {Dimensions}.");
        if (Neighbours < 2) throw new ArgumentException($"The embedding needs at least 2 neighbours per row, not {Neighbours}.");
        if (!(MinDistance >= 0) || !float.IsFinite(MinDistance) || MinDistance >= 1)
            throw new ArgumentException($"The minimum distance must be at least 0 and below 1, not {MinDistance}.");
        if (Epochs is < 1) throw new ArgumentException($"The embedding needs at least 1 epoch, not {Epochs}.");
        if (NegativeSamples < 0) throw new ArgumentException($"Negative samples must be 0 or more, not {NegativeSamples}.");
    }
}
