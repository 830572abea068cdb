using Latent.Data;
using Latent.Engine;
using Latent.Models;
using Latent.Reporting;
using Latent.Training;

namespace Latent.Applications.Reduction;

/// <summary>
/// A UMAP-style neighbour embedding (McInnes, Healy and Melville, 2018), written for Latent: the exact k-nearest-neighbour
/// graph of the rows with fuzzy weights (<see cref="NeighbourGraph"/>), laid out in a few dimensions by SGD with negative
/// sampling (<see cref="EmbeddingLayout"/>) from a PCA start. Rows that are neighbours stay neighbours, and groups of rows
/// pull apart, which is why clustering an autoencoder's codes after this step works better than clustering the codes
/// (N2D, McConville et al., 2020), and why it draws readable 2-D maps. It is transductive: <see cref="Transform"/>
/// places a new row at the weighted mean of its fitted neighbours' places (UMAP's starting guess for new rows, without
/// its further optimisation), and a row identical to a fitted one takes that row's place.
/// </summary>
/// <example>
/// <code>
/// NeighbourEmbedding map = NeighbourEmbedding.Fit(codes, new NeighbourEmbeddingOptions { Dimensions = 2 });
/// Tensor xy = map.Points;                 // [rows, 2]
/// Tensor fresh = map.Transform(newCodes); // new rows among them
/// </code>
/// </example>
public sealed class NeighbourEmbedding
{
    /// <summary>What progress reports call the layout stage.</summary>
    public const string Stage = "neighbour embedding";

    private const float StartSpread = 10, StartJitter = 1e-4f;   // UMAP's: the start scaled to ±10, a little noise to break ties

    private readonly float[] _inputs, _points;

    private NeighbourEmbedding(float[] inputs, float[] points, int inputWidth, NeighbourEmbeddingOptions options)
    {
        _inputs = inputs;
        _points = points;
        Inputs = inputWidth;
        Options = options;
    }

    /// <summary>The options it was fitted with.</summary>
    public NeighbourEmbeddingOptions Options { get; }

    /// <summary>Values per input row.</summary>
    public int Inputs { get; }

    /// <summary>Dimensions of the embedding.</summary>
    public int Dimensions => Options.Dimensions;

    /// <summary>Rows it was fitted on.</summary>
    public int Rows => _points.Length / Dimensions;

    /// <summary>The fitted rows' places, [Rows, Dimensions].</summary>
    public Tensor Points => Tensor.FromArray(_points, Rows, Dimensions);

    /// <summary>Neighbours per row actually used: the option, or one fewer than the rows when there are fewer.</summary>
    private int Neighbours => Math.Min(Options.Neighbours, Rows - 1);

    /// <exception cref="ArgumentException">The data is not [rows, columns] with at least 3 rows, holds a non-finite value, or an option is out of range.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancel"/> was triggered.</exception>
    public static NeighbourEmbedding Fit(Tensor data, NeighbourEmbeddingOptions? options = null, IProgress<TrainingProgress>? progress = null,
        CancellationToken cancel = default)
    {
        options ??= new NeighbourEmbeddingOptions();
        options.Validate();
        ArgumentNullException.ThrowIfNull(data);
        if (data.Rank != 2 || data.Dim(0) < 3)
            throw new ArgumentException($"A neighbour embedding needs a matrix [rows, columns] with at least 3 rows; got shape [{string.Join(", ", data.Shape)}].");
        RowChecks.Finite(data);
        int rows = data.Dim(0), width = data.Dim(1), k = Math.Min(options.Neighbours, rows - 1);
        float[] x = data.ToArray();

        // k + 1 nearest include the row itself, which is then dropped (or the farthest, when duplicates crowd it out).
        var (found, distances) = NearestNeighbours.Find(x, width, x, k + 1);
        var indices = new int[rows * k];
        var kept = new float[rows * k];
        for (int i = 0; i < rows; i++)
        {
            int self = Array.IndexOf(found, i, i * (k + 1), k + 1), to = 0;
            if (self < 0) self = i * (k + 1) + k;
            for (int f = i * (k + 1); f < (i + 1) * (k + 1); f++)
                if (f != self)
                {
                    indices[i * k + to] = found[f];
                    kept[i * k + to++] = distances[f];
                }
        }
        cancel.ThrowIfCancellationRequested();
        NeighbourGraph graph = NeighbourGraph.Build(indices, kept, rows, k);

        var rng = new Rng(options.Seed);
        float[] points = Start(data, options.Dimensions, rng);
        int epochs = options.Epochs ?? (rows <= 10_000 ? 500 : 200);
        var (a, b) = EmbeddingLayout.CurveFor(options.MinDistance);
        EmbeddingLayout.Optimise(points, options.Dimensions, graph, epochs, options.NegativeSamples, a, b, rng,
            epoch => progress?.Report(new TrainingProgress(epoch, epochs, 1, 1, 0, 0, null, Stage)), cancel);

        // Identical rows share the place of the first of them, so that Transform gives a fitted row back its own place.
        int m = options.Dimensions;
        for (int i = 0; i < rows; i++)
        {
            int first = FirstIdentical(indices.AsSpan(i * k, k), kept.AsSpan(i * k, k), i);
            if (first < i) points.AsSpan(first * m, m).CopyTo(points.AsSpan(i * m, m));
        }
        return new NeighbourEmbedding(x, points, width, options);
    }

    /// <summary>Places new rows among the fitted ones: the weighted mean of their neighbours' places, or a fitted row's own place.</summary>
    /// <exception cref="ArgumentException">The rows are not [rows, <see cref="Inputs"/>] or hold a non-finite value.</exception>
    public Tensor Transform(Tensor data)
    {
        RowChecks.Rows(data, Inputs, "The neighbour embedding");
        RowChecks.Finite(data);
        int count = data.Dim(0), k = Neighbours, m = Dimensions;
        var (indices, distances) = NearestNeighbours.Find(_inputs, Inputs, data.ToArray(), k);
        float[] weights = NeighbourGraph.Memberships(distances, count, k);
        var result = new float[count * m];
        for (int q = 0; q < count; q++)
        {
            Span<float> place = result.AsSpan(q * m, m);
            int same = FirstIdentical(indices.AsSpan(q * k, k), distances.AsSpan(q * k, k), int.MaxValue);
            if (same < int.MaxValue)
            {
                _points.AsSpan(same * m, m).CopyTo(place);
                continue;
            }
            float total = 0;
            for (int a = 0; a < k; a++)
            {
                float w = weights[q * k + a];
                total += w;
                ReadOnlySpan<float> neighbour = _points.AsSpan(indices[q * k + a] * m, m);
                for (int j = 0; j < m; j++) place[j] += w * neighbour[j];
            }
            for (int j = 0; j < m; j++) place[j] /= total;
        }
        return Tensor.FromArray(result, count, m);
    }

    /// <summary>The fitted rows and their places, for a host application's model file.</summary>
    internal IEnumerable<(string Name, Tensor Value)> NamedTensors(string prefix) =>
    [
        (prefix + "inputs", Tensor.FromArray(_inputs, Rows, Inputs)),
        (prefix + "points", Tensor.FromArray(_points, Rows, Dimensions)),
    ];

    /// <summary>The embedding <see cref="NamedTensors"/> wrote; null when the tensors are missing or do not fit together.</summary>
    internal static NeighbourEmbedding? Restore(IReadOnlyDictionary<string, Tensor> tensors, string prefix, NeighbourEmbeddingOptions options)
    {
        if (!tensors.TryGetValue(prefix + "inputs", out Tensor? inputs) || !tensors.TryGetValue(prefix + "points", out Tensor? points)) return null;
        if (inputs.Rank != 2 || points.Rank != 2 || inputs.Dim(0) != points.Dim(0) || points.Dim(1) != options.Dimensions || inputs.Dim(0) < 3) return null;
        return new NeighbourEmbedding(inputs.ToArray(), points.ToArray(), inputs.Dim(1), options);
    }

    /// <summary>The lowest-numbered row at distance 0 among the neighbours, if it is below <paramref name="before"/>; otherwise <paramref name="before"/>.</summary>
    private static int FirstIdentical(ReadOnlySpan<int> indices, ReadOnlySpan<float> distances, int before)
    {
        int first = before;
        for (int a = 0; a < indices.Length && distances[a] == 0; a++) first = Math.Min(first, indices[a]);
        return first;
    }

    /// <summary>The starting layout: the rows' leading principal components scaled to ±10 (extra dimensions, beyond the data's, start as noise).</summary>
    private static float[] Start(Tensor data, int dimensions, Rng rng)
    {
        int rows = data.Dim(0), components = Math.Min(dimensions, Math.Min(rows, data.Dim(1)));
        using Tensor projected = new Pca(components).Fit(data).Transform(data);
        ReadOnlySpan<float> p = projected.Span;
        float largest = 0;
        foreach (float v in p) largest = Math.Max(largest, Math.Abs(v));
        float scale = largest > 0 ? StartSpread / largest : 1;
        var points = new float[rows * dimensions];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < dimensions; j++)
                points[i * dimensions + j] = j < components ? p[i * components + j] * scale + StartJitter * rng.NextNormal() : rng.NextNormal();
        return points;
    }
}
