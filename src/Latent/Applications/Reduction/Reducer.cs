using System.Text.Json;
using Latent.Data;
using Latent.Engine;
using Latent.Engine.Losses;
using Latent.Models;
using Latent.Reporting;
using Latent.Training;

namespace Latent.Applications.Reduction;

/// <summary>
/// Dimensionality reduction with one API over an autoencoder or PCA, so that the two compare in two lines:
/// <c>Fit</c>, <c>Transform</c> (rows → codes), <c>InverseTransform</c> (codes → rows) and the reconstruction
/// error. The autoencoder's output and scaling follow <see cref="DenseAutoencoderConfig.For"/>.
/// </summary>
/// <example>
/// <code>
/// var ae = Reducer.Fit(rows, new ReducerOptions { Dimensions = 8 });
/// var pca = Reducer.Fit(rows, new ReducerOptions { Dimensions = 8, Method = ReductionMethod.Pca });
/// Console.WriteLine($"{ae.ReconstructionError(test)} vs {pca.ReconstructionError(test)}");
/// ae.Save("reducer.safetensors");
/// </code>
/// </example>
[ModelKind("reducer", "a reducer")]
public sealed class Reducer : ISavedModel
{
    private const string AutoencoderKey = "latent.reducer.autoencoder";

    private readonly DenseAutoencoder? _autoencoder;
    private readonly Pca? _pca;

    private Reducer(DenseAutoencoder? autoencoder, Pca? pca, ReducerOptions options)
    {
        _autoencoder = autoencoder;
        _pca = pca;
        Options = options;
    }

    /// <summary>The options it was fitted with.</summary>
    public ReducerOptions Options { get; }

    /// <summary>The trained autoencoder (null for PCA).</summary>
    public DenseAutoencoder? Autoencoder => _autoencoder;

    /// <summary>The fitted PCA (null for an autoencoder).</summary>
    public Pca? Pca => _pca;

    /// <summary>Dimensions of the reduced rows.</summary>
    public int Dimensions => _autoencoder?.CodeSize ?? _pca!.CodeSize;

    /// <summary>Values per input row.</summary>
    public int Inputs => _autoencoder?.Inputs ?? _pca!.Inputs;

    /// <summary>What the rows are (image geometry or table schema), when known; saved with the reducer so that new rows are read the same way.</summary>
    public DataDescription? Data { get; set; }

    /// <summary>Refuses what <see cref="Fit"/> would refuse, without any work: a caller can check before it shows progress.</summary>
    /// <exception cref="ArgumentException">The data is not [rows, columns], holds a non-finite value, or asks for more dimensions than it has.</exception>
    public static void Validate(Tensor data, ReducerOptions? options = null)
    {
        options ??= new ReducerOptions();
        options.Validate();
        ArgumentNullException.ThrowIfNull(data);
        if (data.Rank != 2 || data.Dim(0) < 2) throw new ArgumentException($"Reduction needs a matrix [rows, columns] with at least 2 rows; got shape [{string.Join(", ", data.Shape)}].");
        if (options.Dimensions > data.Dim(1))
            throw new ArgumentException($"The reduced size must be at most the {Counted.Of(data.Dim(1), "column")}, not {options.Dimensions}.");
        RowChecks.Finite(data);
    }

    /// <exception cref="ArgumentException">The data is not [rows, columns], holds a non-finite value, or asks for more dimensions than it has.</exception>
    public static Reducer Fit(Tensor data, ReducerOptions? options = null, IProgress<TrainingProgress>? progress = null, CancellationToken cancel = default)
    {
        options ??= new ReducerOptions();
        Validate(data, options);
        if (options.Method == ReductionMethod.Pca)
        {
            var pca = new Pca(Math.Min(options.Dimensions, data.Dim(0)), options.Seed).Fit(data);
            progress?.Report(new TrainingProgress(1, 1, 1, 1, 0, 0, null, "PCA"));   // one step, no epochs: said once it is done
            return new Reducer(null, pca, options);
        }

        var model = new DenseAutoencoder(DenseAutoencoderConfig.For(data) with { Hidden = options.Hidden, CodeSize = options.Dimensions, Seed = options.Seed });
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

    /// <summary>A 2-D map of the rows (the first two reduced dimensions) as an SVG scatter, coloured by label when given.</summary>
    /// <exception cref="ArgumentException">The reducer keeps fewer than 2 dimensions.</exception>
    public Svg Map(Tensor data, int[]? labels = null, string? title = null)
    {
        if (Dimensions < 2) throw new ArgumentException($"A map needs at least 2 reduced dimensions; this reducer keeps {Dimensions}.");
        using Tensor codes = Transform(data);
        int d = codes.Dim(1);
        var xy = new float[codes.Dim(0) * 2];
        for (int r = 0; r < codes.Dim(0); r++)
        {
            xy[2 * r] = codes.Span[r * d];
            xy[2 * r + 1] = codes.Span[r * d + 1];
        }
        string method = Options.Method == ReductionMethod.Pca ? "PCA" : "autoencoder";
        return SvgChart.Scatter(xy, labels ?? [], new ChartOptions { Title = title ?? $"2-D map ({method})", XLabel = "dimension 1", YLabel = "dimension 2" });
    }

    // ------------------------------------------------------------------ files

    /// <summary>Saves the reducer (its autoencoder with its scaling, or its PCA, and <see cref="Data"/>) as one safetensors file, atomically.</summary>
    public void Save(string path) => ModelFile.Save(path, ((ISavedModel)this).Content());

    ModelContent ISavedModel.Content() => _autoencoder is { } ae
        ? ModelFile.Content(this, Options, ((ITrainable)ae).Network, ae.History, ae.Scaler, Data,
            new Dictionary<string, string> { [AutoencoderKey] = JsonSerializer.Serialize(ae.Config, ModelFile.Json) })
        : ModelFile.Content(this, Options, _pca!.State, history: null, scaler: null, Data);

    /// <summary>Reads a reducer saved by <see cref="Save"/>; refuses other files with a clear message.</summary>
    /// <exception cref="InvalidDataException">The file is not a reducer, or is damaged.</exception>
    public static Reducer Open(string path)
    {
        var (content, options) = ModelFile.Read<Reducer, ReducerOptions>(path, o => o.Validate());
        var (scaler, data) = ModelFile.ReadData(path, content.Metadata);
        if (options.Method == ReductionMethod.Pca)
        {
            try
            {
                return new Reducer(null, Pca.FromState(content.Tensors), options) { Data = data };
            }
            catch (ArgumentException e)
            {
                throw new InvalidDataException($"'{path}' is a damaged reducer file: {e.Message}");
            }
        }
        DenseAutoencoderConfig config;
        try
        {
            config = JsonSerializer.Deserialize<DenseAutoencoderConfig>(content.Metadata.GetValueOrDefault(AutoencoderKey) ?? "", ModelFile.Json) ?? throw new JsonException();
        }
        catch (JsonException)
        {
            throw new InvalidDataException($"'{path}' lacks the reducer's autoencoder description.");
        }
        return new Reducer(DenseAutoencoder.Restore(path, config, content.Tensors, scaler), null, options) { Data = data };
    }
}
