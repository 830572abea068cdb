using System.Text.Json;
using Latent.Applications.Reduction;
using Latent.Data;
using Latent.Engine;
using Latent.Models;
using Latent.Reporting;
using Latent.Training;

namespace Latent.Applications.Clustering;

/// <summary>
/// Groups rows by their autoencoder codes: trains a dense autoencoder on the rows (output and scaling by
/// <see cref="DenseAutoencoderConfig.For"/>). By default it then follows N2D (McConville et al., 2020): a neighbour
/// embedding of the codes (<see cref="NeighbourEmbedding"/>), k-means++ with restarts in it, and a Gaussian mixture
/// started from k-means' clusters. Without the embedding it clusters the codes themselves, optionally refined by DEC,
/// which sharpens the clusters by fine-tuning the encoder (Xie et al., 2016). New rows are assigned by their codes
/// (placed in the embedding among the training rows): the most likely mixture component, the nearest centre, or after
/// DEC the largest Student-t soft assignment (DEC's own rule).
/// </summary>
/// <example>
/// <code>
/// Clusterer clusters = Clusterer.Fit(images, new ClusterOptions { Clusters = 10, RefineWithDec = true });
/// int[] training = clusters.Assignments;
/// int[] fresh = clusters.Predict(newImages);
/// </code>
/// </example>
[ModelKind("clusterer", "a clusterer")]
public sealed class Clusterer : ISavedModel
{
    private const string AutoencoderKey = "latent.clusterer.autoencoder", SummaryKey = "latent.clusterer";
    private const string CentersName = "centers", AssignmentsName = "assignments", KMeansAssignmentsName = "kmeans_assignments";
    private const string EmbeddingPrefix = "embedding.", WeightsName = "mixture.weights", MeansName = "mixture.means", CovariancesName = "mixture.covariances";

    private readonly DenseAutoencoder _autoencoder;
    private readonly NeighbourEmbedding? _embedding;
    private readonly GaussianMixture? _mixture;
    private readonly Tensor _centers;   // [k, the clustered space's dimensions]
    private readonly int[] _assignments, _kmeansAssignments;

    private sealed record Summary(double KMeansInertia, int DecIterations);

    private Clusterer(DenseAutoencoder autoencoder, NeighbourEmbedding? embedding, GaussianMixture? mixture, float[] centers, int[] assignments,
        int[] kmeansAssignments, Summary summary, ClusterOptions options)
    {
        _autoencoder = autoencoder;
        _embedding = embedding;
        _mixture = mixture;
        int dimensions = embedding?.Dimensions ?? autoencoder.CodeSize;
        _centers = Tensor.FromArray(centers, centers.Length / dimensions, dimensions);
        _assignments = assignments;
        _kmeansAssignments = kmeansAssignments;
        KMeansInertia = summary.KMeansInertia;
        DecIterations = summary.DecIterations;
        Options = options;
    }

    /// <summary>The options it was fitted with.</summary>
    public ClusterOptions Options { get; }

    /// <summary>The autoencoder whose codes are clustered (its encoder fine-tuned by DEC when refined).</summary>
    public DenseAutoencoder Autoencoder => _autoencoder;

    /// <summary>Number of clusters.</summary>
    public int Clusters => _centers.Dim(0);

    /// <summary>Size of the codes that are clustered.</summary>
    public int CodeSize => _autoencoder.CodeSize;

    /// <summary>Values per input row.</summary>
    public int Inputs => _autoencoder.Inputs;

    /// <summary>What the rows are (image geometry or table schema), when known; saved with the clusterer so that new rows are read the same way.</summary>
    public DataDescription? Data { get; set; }

    /// <summary>
    /// The cluster of each training row, by the final model: the same as <see cref="Predict"/> on the training rows, so
    /// that a saved clusterer applied to its own data gives back what fitting gave.
    /// </summary>
    public int[] Assignments => (int[])_assignments.Clone();

    /// <summary>The neighbour embedding of the codes that is clustered (null when the codes themselves are).</summary>
    public NeighbourEmbedding? Embedding => _embedding;

    /// <summary>The Gaussian mixture that assigns the clusters (null for the k-means model).</summary>
    public GaussianMixture? Mixture => _mixture;

    /// <summary>
    /// k-means' centres (DEC's after refinement) in the space that is clustered, [Clusters, d] row-major: d is the
    /// embedding's dimensions, or the code size without an embedding.
    /// </summary>
    public float[] Centers => _centers.ToArray();

    /// <summary>Each training row's k-means cluster, before the mixture or DEC.</summary>
    public int[] KMeansAssignments => (int[])_kmeansAssignments.Clone();

    /// <summary>The within-cluster sum of squares of the best k-means run (in the embedding, or on the codes).</summary>
    public double KMeansInertia { get; }

    /// <summary>DEC's training steps (0 without refinement).</summary>
    public int DecIterations { get; }

    /// <summary>Refuses what <see cref="Fit"/> would refuse, without any work: a caller can check before it shows progress.</summary>
    /// <exception cref="ArgumentException">The data is not [rows, columns], holds a non-finite value, has fewer rows than clusters, or an option is out of range.</exception>
    public static void Validate(Tensor data, ClusterOptions? options = null)
    {
        options ??= new ClusterOptions();
        options.Validate();
        ArgumentNullException.ThrowIfNull(data);
        if (data.Rank != 2)
            throw new ArgumentException($"Clustering needs a matrix [rows, columns]; got shape [{string.Join(", ", data.Shape)}].");
        if (data.Dim(0) < 2) throw new ArgumentException($"Clustering needs at least 2 rows; the data has {Counted.Of(data.Dim(0), "row")}.");
        if (options.Clusters > data.Dim(0))
            throw new ArgumentException($"Cannot make {Counted.Of(options.Clusters, "cluster")} from fewer rows: the number of clusters must be at most the {Counted.Of(data.Dim(0), "row")}.");
        RowChecks.Finite(data);
    }

    /// <param name="progress">Told of the autoencoder's training, then of the embedding's epochs (stage "neighbour embedding") or DEC's passes over the rows (stage "DEC refinement").</param>
    /// <exception cref="ArgumentException">The data is not [rows, columns], holds a non-finite value, has fewer rows than clusters, or an option is out of range.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancel"/> was triggered after the autoencoder's training (a cancelled training ends it early instead).</exception>
    public static Clusterer Fit(Tensor data, ClusterOptions? options = null, IProgress<TrainingProgress>? progress = null, CancellationToken cancel = default)
    {
        options ??= new ClusterOptions();
        Validate(data, options);   // before training, which would otherwise come first
        var model = new DenseAutoencoder(DenseAutoencoderConfig.For(data) with { Hidden = options.Hidden, CodeSize = options.CodeSize, Seed = options.Seed });
        model.Fit(data, options.Training with { Seed = options.Seed }, progress, cancel);

        KMeansResult kmeans;
        NeighbourEmbedding? embedding = null;
        GaussianMixture? mixture = null;
        int[] assignments;
        using (Tensor codes = model.Encode(data))
        {
            if (options.Embedding is { } settings) embedding = NeighbourEmbedding.Fit(codes, settings with { Seed = options.Seed }, progress, cancel);
            using Tensor points = embedding?.Points ?? codes.Detach();
            kmeans = KMeans.Fit(points, options.Clusters, options.Restarts, seed: options.Seed);
            assignments = kmeans.Assignments;
            if (options.Model == ClusterModel.GaussianMixture)
            {
                mixture = GaussianMixture.Fit(points, options.Clusters, kmeans.Assignments, cancel: cancel);
                assignments = mixture.Predict(points);
            }
        }
        if (!options.RefineWithDec)
            return new Clusterer(model, embedding, mixture, kmeans.Centers, assignments, kmeans.Assignments, new Summary(kmeans.Inertia, 0), options);
        Tensor scaled = model.Scale(data);
        try
        {
            var (centers, refined, iterations) = DecRefinement.Run(model.Encoder, scaled, (float[])kmeans.Centers.Clone(), options.Clusters,
                options.Dec, options.Seed, progress, cancel);
            return new Clusterer(model, null, null, centers, refined, kmeans.Assignments, new Summary(kmeans.Inertia, iterations), options);
        }
        finally
        {
            if (scaled != data) scaled.Dispose();
        }
    }

    /// <summary>
    /// The cluster of each row, by its code (placed in the embedding, when there is one): the most likely mixture
    /// component, the nearest centre, or after DEC the largest Student-t soft assignment.
    /// </summary>
    /// <exception cref="ArgumentException">The rows do not match the autoencoder's inputs.</exception>
    public int[] Predict(Tensor data)
    {
        using Tensor codes = _autoencoder.Encode(data);
        if (DecIterations > 0) return DecRefinement.Assign(codes, _centers);
        using Tensor points = _embedding?.Transform(codes) ?? codes.Detach();
        return _mixture?.Predict(points) ?? KMeans.Assign(points, new KMeansResult(Centers, Clusters, _centers.Dim(1), [], KMeansInertia));
    }

    // ------------------------------------------------------------------ files

    /// <summary>
    /// Saves the clusterer (autoencoder with its scaling, the embedding's rows and places, the mixture, centres, the
    /// training rows' clusters, <see cref="Data"/>) as one safetensors file, atomically.
    /// </summary>
    public void Save(string path) => ModelFile.Save(path, ((ISavedModel)this).Content());

    ModelContent ISavedModel.Content()
    {
        List<(string, Tensor)> tensors =
        [
            .. ((ITrainable)_autoencoder).Network.NamedTensors(),
            (CentersName, _centers),
            (AssignmentsName, AsTensor(_assignments)),
            (KMeansAssignmentsName, AsTensor(_kmeansAssignments)),
            .. _embedding?.NamedTensors(EmbeddingPrefix) ?? [],
        ];
        if (_mixture is { } m)
            tensors.AddRange([
                (WeightsName, Tensor.FromArray(m.Weights, m.Components)),
                (MeansName, Tensor.FromArray(m.Means, m.Components, m.Dimensions)),
                (CovariancesName, Tensor.FromArray(m.Covariances, m.Components, m.Dimensions, m.Dimensions)),
            ]);
        return ModelFile.Content(this, Options, tensors, _autoencoder.History, _autoencoder.Scaler, Data, new Dictionary<string, string>
        {
            [AutoencoderKey] = JsonSerializer.Serialize(_autoencoder.Config, ModelFile.Json),
            [SummaryKey] = JsonSerializer.Serialize(new Summary(KMeansInertia, DecIterations), ModelFile.Json),
        });
    }

    /// <summary>Reads a clusterer saved by <see cref="Save"/>; refuses other files with a clear message.</summary>
    /// <exception cref="InvalidDataException">The file is not a clusterer, or is damaged.</exception>
    public static Clusterer Open(string path)
    {
        var (content, options) = ModelFile.Read<Clusterer, ClusterOptions>(path, o => o.Validate());
        DenseAutoencoderConfig config;
        Summary summary;
        try
        {
            config = JsonSerializer.Deserialize<DenseAutoencoderConfig>(content.Metadata.GetValueOrDefault(AutoencoderKey) ?? "", ModelFile.Json) ?? throw new JsonException();
            summary = JsonSerializer.Deserialize<Summary>(content.Metadata.GetValueOrDefault(SummaryKey) ?? "", ModelFile.Json) ?? throw new JsonException();
        }
        catch (JsonException)
        {
            throw new InvalidDataException($"'{path}' lacks the clusterer's autoencoder or summary.");
        }
        string[] own = [CentersName, AssignmentsName, KMeansAssignmentsName];
        foreach (string name in own)
            if (!content.Tensors.ContainsKey(name)) throw new InvalidDataException($"'{path}' lacks the clusterer's tensor '{name}'.");
        Tensor centers = content.Tensors[CentersName], assignments = content.Tensors[AssignmentsName], kmeans = content.Tensors[KMeansAssignmentsName];
        NeighbourEmbedding? embedding = null;
        if (options.Embedding is { } settings)
        {
            embedding = NeighbourEmbedding.Restore(content.Tensors, EmbeddingPrefix, settings with { Seed = options.Seed });
            if (embedding is null || embedding.Inputs != config.CodeSize) throw new InvalidDataException($"'{path}' lacks the clusterer's neighbour embedding, or it does not fit the codes.");
        }
        GaussianMixture? mixture = options.Model == ClusterModel.GaussianMixture && !options.RefineWithDec ? ReadMixture(path, content.Tensors) : null;
        if (centers.Rank != 2 || centers.Dim(1) != (embedding?.Dimensions ?? config.CodeSize) || assignments.Rank != 1 || kmeans.Shape.SequenceEqual(assignments.Shape) is false
            || (mixture is not null && (mixture.Components != centers.Dim(0) || mixture.Dimensions != centers.Dim(1))))
            throw new InvalidDataException($"'{path}' has clusterer tensors of inconsistent shapes.");
        var (scaler, data) = ModelFile.ReadData(path, content.Metadata);
        var network = content.Tensors.Where(t => !own.Contains(t.Key) && !t.Key.StartsWith(EmbeddingPrefix, StringComparison.Ordinal) && !t.Key.StartsWith("mixture.", StringComparison.Ordinal))
            .ToDictionary();
        DenseAutoencoder model = DenseAutoencoder.Restore(path, config, network, scaler);
        return new Clusterer(model, embedding, mixture, centers.ToArray(), ToInts(assignments), ToInts(kmeans), summary, options) { Data = data };
    }

    private static GaussianMixture ReadMixture(string path, IReadOnlyDictionary<string, Tensor> tensors)
    {
        if (!tensors.TryGetValue(WeightsName, out Tensor? weights) || !tensors.TryGetValue(MeansName, out Tensor? means) || !tensors.TryGetValue(CovariancesName, out Tensor? covariances))
            throw new InvalidDataException($"'{path}' lacks the clusterer's Gaussian mixture.");
        try
        {
            return GaussianMixture.FromParameters(weights.ToArray(), means.ToArray(), covariances.ToArray());
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"'{path}' has a damaged Gaussian mixture: {char.ToLowerInvariant(e.Message[0])}{e.Message[1..]}");
        }
    }

    private static Tensor AsTensor(int[] values) => Tensor.FromArray([.. values.Select(v => (float)v)], values.Length);

    private static int[] ToInts(Tensor t) => [.. t.ToArray().Select(v => (int)v)];
}
