using Latent.Applications.Reduction;
using Latent.Training;

namespace Latent.Applications.Clustering;

/// <summary>What decides the final clusters.</summary>
public enum ClusterModel
{
    /// <summary>k-means' clusters: each row with its nearest centre.</summary>
    KMeans,
    /// <summary>A Gaussian mixture with full covariances, started from k-means' clusters: each row with its most likely component.</summary>
    GaussianMixture,
}

/// <summary>
/// How a <see cref="Clusterer"/> learns: the autoencoder whose codes are clustered, an optional neighbour embedding of
/// the codes, k-means, then a Gaussian mixture or DEC.
/// </summary>
public sealed record ClusterOptions
{
    /// <summary>Number of clusters (k).</summary>
    public int Clusters { get; init; } = 10;

    /// <summary>Encoder widths; the decoder mirrors them. DEC's paper (Xie et al., 2016) uses d-500-500-2000-10.</summary>
    public int[] Hidden { get; init; } = [500, 500, 2000];

    /// <summary>Size of the codes that are clustered.</summary>
    public int CodeSize { get; init; } = 10;

    /// <summary>
    /// How the autoencoder trains (its Seed is replaced by <see cref="Seed"/>). Cosine decay is the recipe measured in
    /// `bench reduce`; for images, a <see cref="FitOptions.Shift"/> of one pixel gives codes that group digits better.
    /// </summary>
    public FitOptions Training { get; init; } = new() { Epochs = 50, ValidationFraction = 0, Schedule = ScheduleKind.Cosine };

    /// <summary>
    /// The neighbour embedding the codes are clustered in (N2D, McConville et al., 2020: autoencoder, UMAP, Gaussian
    /// mixture; its Seed is replaced by <see cref="Seed"/>); null clusters the codes themselves. N2D's settings: as many
    /// dimensions as clusters, 20 neighbours, minimum distance 0. Clustering the 10,000 MNIST test images (which the
    /// benchmark's figures do not use) after one autoencoder: accuracy 0.944 in the embedding against 0.676 for k-means
    /// on the codes (`bench reduce --validate --only-cluster`).
    /// </summary>
    public NeighbourEmbeddingOptions? Embedding { get; init; } = new() { Dimensions = 10, Neighbours = 20, MinDistance = 0 };

    /// <summary>
    /// What decides the final clusters after k-means; DEC needs <see cref="ClusterModel.KMeans"/>, whose centres it
    /// refines. The mixture: 0.944 against k-means' 0.937 in the embedding (the validation above).
    /// </summary>
    public ClusterModel Model { get; init; } = ClusterModel.GaussianMixture;

    /// <summary>k-means restarts from different k-means++ seeds; the best (least inertia) is kept.</summary>
    public int Restarts { get; init; } = 10;

    /// <summary>
    /// Refine with Deep Embedded Clustering after k-means (fine-tunes the encoder). DEC moves the codes themselves, so
    /// it needs <see cref="Embedding"/> null and <see cref="Model"/> k-means.
    /// </summary>
    public bool RefineWithDec { get; init; }

    /// <summary>Settings of the DEC refinement (when <see cref="RefineWithDec"/>).</summary>
    public DecOptions Dec { get; init; } = new();

    /// <summary>Seeds the autoencoder's weights and training, the embedding, k-means and DEC: same seed, same clusters.</summary>
    public ulong Seed { get; init; }

    internal void Validate()
    {
        if (Clusters < 1) throw new ArgumentException($"Clusters must be at least 1, not {Clusters}.");
        if (Hidden.Any(h => h < 1)) throw new ArgumentException($"Hidden layer widths must be at least 1; got [{string.Join(", ", Hidden)}].");
        if (CodeSize < 1) throw new ArgumentException($"The code size must be at least 1, not {CodeSize}.");
        if (Restarts < 1) throw new ArgumentException($"Restarts must be at least 1, not {Restarts}.");
        ArgumentNullException.ThrowIfNull(Training);
        Training.Validate();
        if (!Enum.IsDefined(Model)) throw new ArgumentException($"Unknown cluster model {Model}.");
        Embedding?.Validate();
        if (RefineWithDec && (Embedding is not null || Model != ClusterModel.KMeans))
            throw new ArgumentException("DEC refines the codes themselves from k-means' centres, so it needs no embedding and the k-means model.");
        if (RefineWithDec) Dec.Validate();
    }
}
