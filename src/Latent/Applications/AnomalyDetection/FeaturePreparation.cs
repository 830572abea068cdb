using System.Globalization;
using Latent.Data;
using Latent.Engine;
using Latent.Reporting;

namespace Latent.Applications.AnomalyDetection;

/// <summary>
/// Turns encoded rows (a table through its <see cref="TableSchema"/>, or plain numbers) into what the detector's
/// autoencoders see: columns that were constant when fitting are dropped (they say nothing about normal variation
/// and would only add noise), numeric columns are scaled by a <see cref="RobustScaler"/> (anomalies among the
/// fitted rows barely move it), and one-hot columns stay 0/1. Every cell must be a finite number; the error names
/// the row and the column. Also maps each kept feature back to its source column, for contributions.
/// </summary>
internal sealed class FeaturePreparation
{
    private readonly string[] _sourceOfEncoded;

    public FeaturePreparation(TableSchema? schema, int inputWidth, int[] kept, RobustScaler scaler)
    {
        Schema = schema;
        InputWidth = inputWidth;
        Kept = kept;
        Scaler = scaler;
        _sourceOfEncoded = SourceNames(schema, inputWidth);
        if (_sourceOfEncoded.Length != inputWidth || kept.Any(k => k < 0 || k >= inputWidth) || scaler.Columns != kept.Length)
            throw new InvalidDataException("The detector's column description is inconsistent.");
        Sources = [.. kept.Select(k => _sourceOfEncoded[k]).Distinct()];
        SourceOf = [.. kept.Select(k => Array.IndexOf(Sources, _sourceOfEncoded[k]))];
        string[] encodedNames = schema is null ? _sourceOfEncoded : [.. schema.EncodedNames];
        Dropped = [.. Enumerable.Range(0, inputWidth).Where(c => !kept.Contains(c)).Select(c => encodedNames[c])];
    }

    public TableSchema? Schema { get; }

    /// <summary>The width of the encoded rows the detector takes.</summary>
    public int InputWidth { get; }

    /// <summary>The encoded columns the autoencoders see, in order.</summary>
    public int[] Kept { get; }

    public RobustScaler Scaler { get; }

    /// <summary>The source columns with at least one kept feature: the columns of contributions.</summary>
    public string[] Sources { get; }

    /// <summary>For each kept feature, its index in <see cref="Sources"/>.</summary>
    public int[] SourceOf { get; }

    /// <summary>The encoded columns dropped because they were constant.</summary>
    public string[] Dropped { get; }

    /// <summary>Learns which columns to keep and how to scale them from <paramref name="encoded"/> [rows, columns].</summary>
    public static FeaturePreparation Fit(Tensor encoded, TableSchema? schema)
    {
        CheckShape(encoded, schema?.EncodedWidth);
        int rows = encoded.Dim(0), width = encoded.Dim(1);
        CheckFinite(encoded, 0, schema, SourceNames(schema, width));
        var kept = new List<int>();
        for (int c = 0; c < width; c++)
            if (!IsConstant(encoded.Span, rows, width, c)) kept.Add(c);
        if (kept.Count == 0) throw new ArgumentException($"Every column is constant over the {Counted.Of(rows, "row")}, so there is nothing to tell normal from anomalous by.");

        using Tensor selected = Select(encoded, [.. kept]);
        RobustScaler fitted = RobustScaler.Fit(selected);
        bool[] oneHot = OneHotColumns(schema, width);
        double[] median = [.. kept.Select((c, i) => oneHot[c] ? 0 : fitted.Median[i])];
        double[] spread = [.. kept.Select((c, i) => oneHot[c] ? 1 : fitted.Spread[i])];
        return new FeaturePreparation(schema, width, [.. kept], RobustScaler.FromParameters(median, spread));
    }

    /// <summary>The kept, scaled features of <paramref name="encoded"/>, whose first row is data row <paramref name="firstRow"/> + 1.</summary>
    public Tensor Apply(Tensor encoded, long firstRow = 0)
    {
        CheckShape(encoded, InputWidth);
        CheckFinite(encoded, firstRow, Schema, _sourceOfEncoded);
        using Tensor selected = Select(encoded, Kept);
        return Scaler.Transform(selected);
    }

    private static string[] SourceNames(TableSchema? schema, int width) => schema is null
        ? [.. Enumerable.Range(1, width).Select(c => $"column {c}")]
        : [.. schema.Columns.SelectMany(c => Enumerable.Repeat(c.Name, c.Width))];

    /// <summary>Refuses a NaN or infinite cell, naming its row (counting from <paramref name="firstRow"/>, rows being numbered from 0) and column.</summary>
    internal static void CheckFinite(Tensor encoded, TableSchema? schema, long firstRow = 0) =>
        CheckFinite(encoded, firstRow, schema, SourceNames(schema, encoded.Dim(1)));

    private static void CheckFinite(Tensor encoded, long firstRow, TableSchema? schema, string[] sourceOfEncoded)
    {
        ReadOnlySpan<float> x = encoded.Span;
        int width = encoded.Dim(1);
        for (int i = 0; i < x.Length; i++)
        {
            if (float.IsFinite(x[i])) continue;
            long row = firstRow + i / width;
            int column = i % width;
            string what = float.IsNaN(x[i]) ? "is missing" : $"is {x[i].ToString(CultureInfo.InvariantCulture)}";
            string where = schema is null ? $"Row {row}, column {column}" : $"Data row {row}, column '{sourceOfEncoded[column]}'";
            throw new ArgumentException($"{where} {what}; anomaly detection needs a finite value in every cell (fill the holes first, for example with 'latent impute').");
        }
    }

    private static void CheckShape(Tensor encoded, int? width)
    {
        ArgumentNullException.ThrowIfNull(encoded);
        if (encoded.Rank != 2 || encoded.Dim(0) < 1 || (width is { } w && encoded.Dim(1) != w))
            throw new ArgumentException(
                $"The detector expects rows of {(width is { } v ? v.ToString(CultureInfo.InvariantCulture) : "values")} ([rows, {(width is { } u ? u.ToString(CultureInfo.InvariantCulture) : "columns")}]) with at least one row; got shape [{string.Join(", ", encoded.Shape)}].");
    }

    private static bool IsConstant(ReadOnlySpan<float> x, int rows, int width, int column)
    {
        float first = x[column];
        for (int r = 1; r < rows; r++)
            if (x[r * width + column] != first) return false;
        return true;
    }

    private static bool[] OneHotColumns(TableSchema? schema, int width)
    {
        if (schema is null) return new bool[width];
        return [.. schema.Columns.SelectMany(c => Enumerable.Repeat(c.Kind == ColumnKind.Categorical, c.Width))];
    }

    private static Tensor Select(Tensor encoded, int[] columns)
    {
        int rows = encoded.Dim(0), width = encoded.Dim(1);
        var result = Tensor.Zeros(rows, columns.Length);
        ReadOnlySpan<float> x = encoded.Span;
        Span<float> y = result.Span;
        for (int r = 0; r < rows; r++)
            for (int i = 0; i < columns.Length; i++) y[r * columns.Length + i] = x[r * width + columns[i]];
        return result;
    }
}
