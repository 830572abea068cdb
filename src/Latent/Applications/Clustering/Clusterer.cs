using Latent.Engine;
using Latent.Models;

namespace Latent.Applications.Clustering;

/// <summary>How to cluster codes.</summary>
public sealed record ClusterOptions
{
    public int Clusters { get; init; } = 10;
    /// <summary>k-means restarts from different k-means++ seeds; the best (least inertia) is kept.</summary>
    public int Restarts { get; init; } = 10;
    /// <summary>Refine with Deep Embedded Clustering after k-means (fine-tunes the model's encoder in place).</summary>
    public bool RefineWithDec { get; init; }
    public DecOptions Dec { get; init; } = new();
    public ulong Seed { get; init; }
}

/// <summary>The clusters found: one per row, the centres in code space [k, d], and how k-means and DEC went.</summary>
public sealed record ClusteringResult(int[] Assignments, float[] Centers, int CodeSize, double KMeansInertia, int[] KMeansAssignments, int DecIterations);

/// <summary>
/// Groups rows by their autoencoder codes: k-means++ with restarts on the codes, then optionally DEC, which
/// sharpens the clusters by fine-tuning the encoder (Xie et al., 2016).
/// </summary>
/// <example>
/// <code>
/// var model = new DenseAutoencoder(new DenseAutoencoderConfig { Inputs = 784, Hidden = [500, 500, 2000], CodeSize = 10 });
/// model.Fit(images, new FitOptions { Epochs = 50 });
/// ClusteringResult clusters = Clusterer.Fit(model, images, new ClusterOptions { Clusters = 10, RefineWithDec = true });
/// </code>
/// </example>
public static class Clusterer
{
    /// <exception cref="ArgumentException">The rows do not match the model, or there are fewer rows than clusters.</exception>
    public static ClusteringResult Fit(DenseAutoencoder model, Tensor data, ClusterOptions? options = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        options ??= new ClusterOptions();
        DenseAutoencoder.CheckRows(data, model.Inputs, "Cluster");
        if (data.Dim(0) < options.Clusters) throw new ArgumentException($"{data.Dim(0)} rows cannot form {options.Clusters} clusters.");
        if (options.RefineWithDec) options.Dec.Validate();
        using Tensor codes = model.Encode(data);
        KMeansResult kmeans = KMeans.Fit(codes, options.Clusters, options.Restarts, seed: options.Seed);
        if (!options.RefineWithDec)
            return new ClusteringResult(kmeans.Assignments, kmeans.Centers, kmeans.Dimensions, kmeans.Inertia, kmeans.Assignments, 0);
        Tensor scaled = model.Scale(data);
        try
        {
            var (centers, assignments, iterations) = DecRefinement.Run(model.Encoder, scaled, (float[])kmeans.Centers.Clone(), options.Clusters,
                options.Dec with { Seed = options.Seed }, cancel);
            return new ClusteringResult(assignments, centers, kmeans.Dimensions, kmeans.Inertia, kmeans.Assignments, iterations);
        }
        finally
        {
            if (scaled != data) scaled.Dispose();
        }
    }
}
