using System.Globalization;

namespace Latent.Data;

/// <summary>
/// One column of a <see cref="CsvTable"/>: its name, its kind and its cells. Numeric columns give their values
/// through <see cref="Number"/> (NaN where missing); every column gives its cell text through <see cref="Text"/>
/// (null where missing).
/// </summary>
public sealed class TableColumn
{
    private readonly double[]? _numbers;
    private readonly string?[]? _texts;   // null for a numeric column built from numbers

    private TableColumn(string name, ColumnKind kind, double[]? numbers, string?[]? texts)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        Kind = kind;
        _numbers = numbers;
        _texts = texts;
    }

    /// <summary>The header name.</summary>
    public string Name { get; }

    /// <summary>Numeric or categorical.</summary>
    public ColumnKind Kind { get; }

    /// <summary>The number of cells.</summary>
    public int Length => _numbers?.Length ?? _texts!.Length;

    /// <summary>A numeric column; NaN marks a missing value. The values are copied.</summary>
    /// <exception cref="ArgumentException">A value is infinite.</exception>
    public static TableColumn Numeric(string name, IEnumerable<double> values)
    {
        double[] numbers = [.. values];
        foreach (double v in numbers)
            if (double.IsInfinity(v)) throw new ArgumentException($"Column '{name}' holds an infinite value; use NaN for a missing one.", nameof(values));
        return new TableColumn(name, ColumnKind.Numeric, numbers, null);
    }

    /// <summary>A categorical column; null (or any <see cref="MissingMarkers"/> text) marks a missing value. The values are copied.</summary>
    public static TableColumn Categorical(string name, IEnumerable<string?> values) =>
        new(name, ColumnKind.Categorical, null, [.. values.Select(v => MissingMarkers.IsMissing(v) ? null : v!.Trim())]);

    /// <summary>
    /// A column from the cells of a file: numeric when every non-missing cell is a finite number in invariant
    /// culture, categorical otherwise. Cell texts are kept (trimmed) either way.
    /// </summary>
    internal static TableColumn FromCells(string name, string?[] cells)
    {
        var texts = new string?[cells.Length];
        var numbers = new double[cells.Length];
        int parsed = 0, present = 0, firstText = -1;
        for (int i = 0; i < cells.Length; i++)
        {
            if (MissingMarkers.IsMissing(cells[i])) { numbers[i] = double.NaN; continue; }
            texts[i] = cells[i]!.Trim();
            present++;
            if (TryParseNumber(texts[i]!, out numbers[i])) parsed++;
            else if (firstText < 0) firstText = i;
        }
        // A column of numbers with a stray word is a typo, not a category: one-hot encoding it would
        // silently turn every distinct number into a feature.
        if (firstText >= 0 && parsed >= 10 && parsed >= 0.9 * present)
            throw new InvalidDataException(
                $"Column '{name}' holds numbers but data row {firstText} has '{texts[firstText]}'; fix the cell or mark it missing (empty, NA or ?).");
        bool numeric = firstText < 0;
        return new TableColumn(name, numeric ? ColumnKind.Numeric : ColumnKind.Categorical, numeric ? numbers : null, texts);
    }

    /// <summary>The cells of <paramref name="rows"/> (checked by the caller), as a column of the same name and kind.</summary>
    internal TableColumn SelectRows(IReadOnlyList<int> rows) =>
        new(Name, Kind, _numbers is { } n ? [.. rows.Select(r => n[r])] : null, _texts is { } t ? [.. rows.Select(r => t[r])] : null);

    /// <summary>The value in <paramref name="row"/>, NaN when missing.</summary>
    /// <exception cref="InvalidOperationException">The column is categorical.</exception>
    public double Number(int row) => _numbers is { } n
        ? n[row]
        : throw new InvalidOperationException($"Column '{Name}' is categorical and has no numbers.");

    /// <summary>The cell text in <paramref name="row"/> (numbers built in code are formatted in invariant culture), null when missing.</summary>
    public string? Text(int row)
    {
        if (_texts is { } t) return t[row];
        double v = _numbers![row];
        return double.IsNaN(v) ? null : v.ToString("R", CultureInfo.InvariantCulture);
    }

    /// <summary>Whether the cell in <paramref name="row"/> has no value.</summary>
    public bool IsMissing(int row) => _numbers is { } n ? double.IsNaN(n[row]) : _texts![row] is null;

    /// <summary>The distinct non-missing texts, sorted ordinally (the one-hot order of a categorical column).</summary>
    public IReadOnlyList<string> Categories()
    {
        var set = new SortedSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < Length; i++)
            if (Text(i) is { } text) set.Add(text);
        return [.. set];
    }

    internal static bool TryParseNumber(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
}
