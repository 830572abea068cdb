using Latent.Data;
using Latent.Engine;
using Latent.Engine.Losses;
using Latent.Models;
using Latent.Reporting;
using Latent.Training;

namespace Latent.Applications.Reduction;

/// <summary>How rows are reduced: an autoencoder's code or PCA's leading components.</summary>
public enum ReductionMethod
{
    Autoencoder,
    Pca,
}

/// <summary>How a <see cref="Reducer"/> learns. The autoencoder settings are ignored by PCA.</summary>
public sealed record ReducerOptions
{
    /// <summary>Dimensions of the reduced rows (the code size).</summary>
    public int Dimensions { get; init; } = 2;
    public ReductionMethod Method { get; init; } = ReductionMethod.Autoencoder;
    /// <summary>Encoder widths; the decoder mirrors them.</summary>
    public int[] Hidden { get; init; } = [256, 128];
    public int Epochs { get; init; } = 30;
    public int BatchSize { get; init; } = 256;
    public float LearningRate { get; init; } = 1e-3f;
    public ulong Seed { get; init; }
}

/// <summary>
/// Dimensionality reduction with one API over an autoencoder or PCA, so that the two compare in two lines:
/// <c>Fit</c>, <c>Transform</c> (rows → codes), <c>InverseTransform</c> (codes → rows) and the reconstruction
/// error. Data in [0, 1] trains with a sigmoid output and no scaling; other data is standardised first.
/// </summary>
/// <example>
/// <code>
/// var ae = Reducer.Fit(rows, new ReducerOptions { Dimensions = 8 });
/// var pca = Reducer.Fit(rows, new ReducerOptions { Dimensions = 8, Method = ReductionMethod.Pca });
/// Console.WriteLine($"{ae.ReconstructionError(test)} vs {pca.ReconstructionError(test)}");
/// </code>
/// </example>
public sealed class Reducer
{
    private readonly DenseAutoencoder? _autoencoder;
    private readonly Pca? _pca;

    private Reducer(DenseAutoencoder? autoencoder, Pca? pca, ReducerOptions options)
    {
        _autoencoder = autoencoder;
        _pca = pca;
        Options = options;
    }

    public ReducerOptions Options { get; }

    /// <summary>The trained autoencoder (null for PCA).</summary>
    public DenseAutoencoder? Autoencoder => _autoencoder;

    /// <summary>The fitted PCA (null for an autoencoder).</summary>
    public Pca? Pca => _pca;

    /// <exception cref="ArgumentException">The data is not [rows, columns], holds a non-finite value, or asks for more dimensions than it has.</exception>
    public static Reducer Fit(Tensor data, ReducerOptions? options = null, IProgress<TrainingProgress>? progress = null, CancellationToken cancel = default)
    {
        options ??= new ReducerOptions();
        ArgumentNullException.ThrowIfNull(data);
        if (data.Rank != 2 || data.Dim(0) < 2) throw new ArgumentException($"Reduction needs a matrix [rows, columns] with at least 2 rows; got shape [{string.Join(", ", data.Shape)}].");
        if (options.Dimensions < 1 || options.Dimensions > data.Dim(1))
            throw new ArgumentException($"The reduced size must be between 1 and the {data.Dim(1)} columns, not {options.Dimensions}.");
        DenseAutoencoder.CheckFinite(data);
        if (options.Method == ReductionMethod.Pca)
            return new Reducer(null, new Pca(Math.Min(options.Dimensions, data.Dim(0)), options.Seed).Fit(data), options);

        bool unit = ValueRange.InUnitRange(data);
        var model = new DenseAutoencoder(new DenseAutoencoderConfig
        {
            Inputs = data.Dim(1),
            Hidden = options.Hidden,
            CodeSize = options.Dimensions,
            Output = unit ? Activation.Sigmoid : Activation.Identity,
            Scaling = unit ? Scaling.None : Scaling.Standard,
            Seed = options.Seed,
        });
        model.Fit(data, new FitOptions
        {
            Epochs = options.Epochs, BatchSize = options.BatchSize, LearningRate = options.LearningRate, Seed = options.Seed,
            ValidationFraction = 0,
        }, progress, cancel);
        return new Reducer(model, null, options);
    }

    /// <summary>The reduced rows: [rows, Dimensions].</summary>
    public Tensor Transform(Tensor data) => _autoencoder?.Encode(data) ?? _pca!.Transform(data);

    /// <summary>Rows rebuilt from reduced ones: [rows, columns].</summary>
    public Tensor InverseTransform(Tensor codes) => _autoencoder?.Decode(codes) ?? _pca!.InverseTransform(codes);

    /// <summary>Mean squared error per value of <c>InverseTransform(Transform(data))</c>, in the data's units.</summary>
    public float ReconstructionError(Tensor data)
    {
        using Tensor rebuilt = _autoencoder?.Reconstruct(data) ?? _pca!.Reconstruct(data);
        using (Tensor.NoGrad()) return Loss.Mse(rebuilt, data).Item();
    }

    /// <summary>
    /// Reconstruction error on <paramref name="test"/> against code size, for an autoencoder and PCA each fitted
    /// on <paramref name="train"/> with the same options otherwise: the curve users ask for.
    /// </summary>
    public static IReadOnlyList<(int Dimensions, float Autoencoder, float Pca)> ErrorByCodeSize(Tensor train, Tensor test, IEnumerable<int> sizes,
        ReducerOptions? options = null, CancellationToken cancel = default)
    {
        options ??= new ReducerOptions();
        var rows = new List<(int, float, float)>();
        foreach (int size in sizes)
        {
            float ae = Fit(train, options with { Dimensions = size, Method = ReductionMethod.Autoencoder }, cancel: cancel).ReconstructionError(test);
            float pca = Fit(train, options with { Dimensions = size, Method = ReductionMethod.Pca }, cancel: cancel).ReconstructionError(test);
            rows.Add((size, ae, pca));
        }
        return rows;
    }

    /// <summary>A 2-D map of the rows (the first two reduced dimensions) as an SVG scatter, coloured by label when given.</summary>
    public Svg Map(Tensor data, int[]? labels = null, string? title = null)
    {
        using Tensor codes = Transform(data);
        int d = codes.Dim(1);
        if (d < 2) throw new InvalidOperationException("A map needs at least 2 reduced dimensions.");
        var xy = new float[codes.Dim(0) * 2];
        for (int r = 0; r < codes.Dim(0); r++)
        {
            xy[2 * r] = codes.Span[r * d];
            xy[2 * r + 1] = codes.Span[r * d + 1];
        }
        string method = Options.Method == ReductionMethod.Pca ? "PCA" : "autoencoder";
        return SvgChart.Scatter(xy, labels ?? [], new ChartOptions { Title = title ?? $"2-D map ({method})", XLabel = "dimension 1", YLabel = "dimension 2" });
    }
}
