using System.Text.Json;
using Latent.Data;
using Latent.Engine;
using Latent.Models;
using Latent.Training;

namespace Latent.Applications.Imputation;

/// <summary>
/// Fills the holes of a table with a denoising autoencoder that learned, from the known cells, how each value
/// follows from the rest of its row (see <see cref="ImputationNetwork"/>). Numeric columns are min-max scaled,
/// categorical columns one-hot encoded (a missing category is decoded to the most likely valid one), and text
/// columns with too many distinct values (ids, free text) pass through untouched. Known cells are never changed.
/// </summary>
/// <example>
/// <code>
/// CsvTable table = CsvTable.Read("survey.csv");
/// Imputer imputer = Imputer.Fit(table);
/// CsvOutput.Write("filled.csv", imputer.Transform(table));
/// </code>
/// </example>
[ModelKind("imputer", "an imputer")]
public sealed class Imputer : ISavedModel
{
    private const string ColumnsKey = "latent.imputer";

    private readonly ImputationNetwork _network;
    private readonly MinMaxScaler _scaler;

    private Imputer(ImputationNetwork network, MinMaxScaler scaler, ImputerOptions options, TableSchema? schema, History? history)
    {
        _network = network;
        _scaler = scaler;
        Options = options;
        Schema = schema;
        History = history;
    }

    /// <summary>The options it was fitted with.</summary>
    public ImputerOptions Options { get; }

    /// <summary>The imputed columns of a table (null when fitted on a tensor); other columns pass through.</summary>
    public TableSchema? Schema { get; }

    /// <summary>The training run (null after <see cref="Open"/>).</summary>
    public History? History { get; }

    /// <summary>Width of the encoded rows the network works on.</summary>
    public int Width => _network.Width;

    /// <summary>Learns to impute <paramref name="table"/>'s numeric and categorical columns from their known cells (all but <see cref="ImputerOptions.ExcludeColumns"/>).</summary>
    /// <exception cref="ArgumentException">An excluded column is not in the table, a column to impute has no values at all, or there is nothing to impute.</exception>
    public static Imputer Fit(CsvTable table, ImputerOptions? options = null, IProgress<TrainingProgress>? progress = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        options ??= new ImputerOptions();
        options.Validate();
        TableSchema schema = TableImputation.SchemaFor(table, options.MaxCategories, options.ExcludeColumns);
        using Tensor encoded = schema.Encode(table);
        return Train(encoded, schema, options, progress, cancel);
    }

    /// <summary>Learns to impute a numeric matrix [rows, columns] whose unknown cells are NaN.</summary>
    /// <exception cref="ArgumentException">The data is not a matrix, holds an infinity, a column has no values, or <see cref="ImputerOptions.ExcludeColumns"/> names columns.</exception>
    public static Imputer Fit(Tensor data, ImputerOptions? options = null, IProgress<TrainingProgress>? progress = null, CancellationToken cancel = default)
    {
        CheckMatrix(data, null);
        options ??= new ImputerOptions();
        options.Validate();
        if (options.ExcludeColumns is { Count: > 0 } names)
            throw new ArgumentException($"ExcludeColumns ({string.Join(", ", names)}) names table columns, but a matrix has none; select the columns to impute instead.");
        ReadOnlySpan<float> x = data.Span;
        int width = data.Dim(1);
        for (int c = 0; c < width; c++)
        {
            bool any = false;
            for (int i = c; i < x.Length && !any; i += width) any = !float.IsNaN(x[i]);
            if (!any) throw new ArgumentException($"Column {c} has no values at all, so there is nothing to learn it from.");
        }
        return Train(data, null, options, progress, cancel);
    }

    private static Imputer Train(Tensor encoded, TableSchema? schema, ImputerOptions options, IProgress<TrainingProgress>? progress, CancellationToken cancel)
    {
        MinMaxScaler scaler = MinMaxScaler.Fit(encoded);
        using Tensor scaled = scaler.Transform(encoded);
        int width = encoded.Dim(1);
        float[] fill = ColumnMeans(scaled);

        // Training rows: [values with the fill in unknown cells | known mask]; rows with nothing known teach nothing.
        ReadOnlySpan<float> x = scaled.Span;
        var rows = new List<int>();
        for (int r = 0; r < encoded.Dim(0); r++)
            if (HasValue(x.Slice(r * width, width))) rows.Add(r);
        using Tensor training = Tensor.Zeros(rows.Count, 2 * width);
        Span<float> t = training.Span;
        for (int i = 0; i < rows.Count; i++)
        {
            for (int c = 0; c < width; c++)
            {
                float v = x[rows[i] * width + c];
                bool known = !float.IsNaN(v);
                t[i * 2 * width + c] = known ? v : fill[c];
                t[i * 2 * width + width + c] = known ? 1f : 0f;
            }
        }

        var network = new ImputationNetwork(fill, options, new Rng(options.Seed));
        var fit = new FitOptions
        {
            Epochs = options.EpochsFor(rows.Count),
            BatchSize = options.BatchSize,
            LearningRate = options.LearningRate,
            ValidationFraction = 0,
            Seed = options.Seed,
        };
        History history = Trainer.Fit(network, training, fit, progress, cancel);
        return new Imputer(network, scaler, options, schema, history);
    }

    private static bool HasValue(ReadOnlySpan<float> row)
    {
        foreach (float v in row)
            if (!float.IsNaN(v)) return true;
        return false;
    }

    /// <summary>The rows with every NaN cell filled in; known cells are copied unchanged.</summary>
    /// <exception cref="ArgumentException">The rows are not [rows, <see cref="Width"/>] or hold an infinity.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancel"/> was triggered (checked between chunks of rows).</exception>
    public Tensor Transform(Tensor data, CancellationToken cancel = default)
    {
        CheckMatrix(data, Width);
        var result = data.Detach();
        Span<float> y = result.Span;
        const int chunk = 4096;   // rows per pass through the network: bounds memory on large tables
        for (int start = 0; start < data.Dim(0); start += chunk)
        {
            cancel.ThrowIfCancellationRequested();
            int n = Math.Min(chunk, data.Dim(0) - start);
            using Tensor rows = Tensor.FromArray(data.Span.Slice(start * Width, n * Width).ToArray(), n, Width);
            if (!HasNaN(rows.Span)) continue;
            using Tensor scaled = _scaler.Transform(rows);
            using Tensor predicted = _network.Predict(scaled);
            using Tensor estimate = _scaler.InverseTransform(predicted);
            ReadOnlySpan<float> e = estimate.Span;
            Span<float> target = y.Slice(start * Width, n * Width);
            for (int i = 0; i < target.Length; i++)
                if (float.IsNaN(target[i])) target[i] = e[i];
        }
        return result;
    }

    private static bool HasNaN(ReadOnlySpan<float> values)
    {
        foreach (float v in values)
            if (float.IsNaN(v)) return true;
        return false;
    }

    /// <summary>
    /// The table with its missing cells filled: same columns in the same order, known cells with their original
    /// text, pass-through columns untouched, categorical cells filled with one of the column's categories.
    /// </summary>
    /// <exception cref="ArgumentException">The imputer was fitted on a matrix, not a table (an imputer opened from a file may be either, so this is bad input, not a bug).</exception>
    /// <param name="table">The table; its columns are matched by name.</param>
    /// <param name="exclude">Further columns left as they are (ids, labels the imputer was not fitted on).</param>
    /// <exception cref="InvalidDataException">The table's columns differ from those the imputer learned.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancel"/> was triggered.</exception>
    public CsvTable Transform(CsvTable table, IReadOnlyList<string>? exclude = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        TableSchema schema = Schema ?? throw new ArgumentException("This imputer was fitted on a matrix of numbers, not a table, so it cannot read a table's columns; impute a matrix instead.");
        return TableImputation.Fill(table, schema, rows => Transform(rows, cancel), exclude);
    }

    // ------------------------------------------------------------------ files

    /// <summary>Saves the imputer (network, scaling, columns, options) as one safetensors file, atomically.</summary>
    public void Save(string path) => ModelFile.Save(path, ((ISavedModel)this).Content());

    ModelContent ISavedModel.Content() => ModelFile.Content(this, Options, _network.Network, History, _scaler,
        Schema is null ? null : new DataDescription(Schema: Schema), new Dictionary<string, string> { [ColumnsKey] = JsonSerializer.Serialize(_network.Fill, ModelFile.Json) });

    /// <summary>Reads an imputer saved by <see cref="Save"/>; refuses other files with a clear message.</summary>
    /// <exception cref="InvalidDataException">The file is not an imputer, or is damaged.</exception>
    public static Imputer Open(string path)
    {
        var (content, options) = ModelFile.Read<Imputer, ImputerOptions>(path, o => o.Validate());
        float[] fill;
        try
        {
            fill = JsonSerializer.Deserialize<float[]>(content.Metadata.GetValueOrDefault(ColumnsKey) ?? "", ModelFile.Json) ?? throw new JsonException();
        }
        catch (JsonException)
        {
            throw new InvalidDataException($"'{path}' lacks the imputer's fill values.");
        }
        var (scaler, data) = ModelFile.ReadData(path, content.Metadata);
        if (scaler is not MinMaxScaler minMax || minMax.Columns != fill.Length)
            throw new InvalidDataException($"'{path}' lacks the imputer's column scaling.");
        var network = new ImputationNetwork(fill, options, new Rng(0));
        ModelFile.AssignTensors(path, network.Network, content.Tensors);
        return new Imputer(network, minMax, options, data?.Schema, history: null);
    }

    // ------------------------------------------------------------------ helpers

    /// <summary>Each column's mean over its non-NaN cells (0 for a column without values).</summary>
    internal static float[] ColumnMeans(Tensor data)
    {
        int width = data.Dim(1);
        var sum = new double[width];
        var count = new int[width];
        ReadOnlySpan<float> x = data.Span;
        for (int i = 0; i < x.Length; i++)
        {
            if (float.IsNaN(x[i])) continue;
            sum[i % width] += x[i];
            count[i % width]++;
        }
        return [.. sum.Select((s, c) => count[c] > 0 ? (float)(s / count[c]) : 0f)];
    }

    internal static void CheckMatrix(Tensor data, int? width)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Rank != 2 || data.Dim(0) == 0 || (width is { } w && data.Dim(1) != w))
            throw new ArgumentException($"Expected a matrix [rows, {(width is { } v ? v.ToString(System.Globalization.CultureInfo.InvariantCulture) : "columns")}] with at least one row; got shape [{string.Join(", ", data.Shape)}].");
        ReadOnlySpan<float> x = data.Span;
        for (int i = 0; i < x.Length; i++)
            if (float.IsInfinity(x[i]))
                throw new ArgumentException($"Row {i / data.Dim(1)}, column {i % data.Dim(1)} is infinite; mark unknown cells with NaN.");
    }
}
