using CsvHelper;
using Latent.Reporting;

namespace Latent.Data;

/// <summary>
/// A table read from a CSV file: a header row of unique names, then rows with one cell per column. Quoted fields
/// may hold commas, quotes and line breaks. Column names keep the header's exact text (spaces included, so that a
/// table written back has the same header) and are looked up ignoring the spaces around them (<see cref="ColumnName"/>).
/// Cells that are empty or one of <see cref="MissingMarkers"/> are missing. A column whose other cells are all finite
/// numbers (invariant culture: "1.5", "-2e3") is numeric; any other column is categorical. Use a
/// <see cref="TableSchema"/> to turn a table into a tensor.
/// </summary>
public sealed class CsvTable
{
    private readonly TableColumn[] _columns;

    /// <summary>A table of the given columns, which must have unique names (ignoring surrounding spaces) and equal lengths.</summary>
    /// <exception cref="ArgumentException">No columns, repeated names, or columns of different lengths.</exception>
    public CsvTable(IEnumerable<TableColumn> columns)
    {
        _columns = [.. columns];
        if (_columns.Length == 0) throw new ArgumentException("A table needs at least one column.", nameof(columns));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (TableColumn c in _columns)
        {
            if (!seen.Add(c.Name.Trim())) throw new ArgumentException($"The column name '{c.Name}' appears more than once.", nameof(columns));
            if (c.Length != _columns[0].Length)
                throw new ArgumentException($"Column '{c.Name}' has {c.Length} cells but column '{_columns[0].Name}' has {_columns[0].Length}.", nameof(columns));
        }
    }

    /// <summary>The columns in file order.</summary>
    public IReadOnlyList<TableColumn> Columns => _columns;

    /// <summary>The column names in file order.</summary>
    public IReadOnlyList<string> ColumnNames => [.. _columns.Select(c => c.Name)];

    /// <summary>The number of data rows (the header is not counted).</summary>
    public int Rows => _columns[0].Length;

    /// <summary>The column named <paramref name="name"/> (case-sensitive; spaces around either name are ignored).</summary>
    /// <exception cref="ArgumentException">No column has that name; the message lists the names there are.</exception>
    public TableColumn Column(string name) =>
        Array.Find(_columns, c => ColumnName.Same(c.Name, name))
        ?? throw new ArgumentException($"The table has no column '{name}'; its columns are {ColumnName.List(ColumnNames)}.");

    /// <summary>Whether a column is named <paramref name="name"/> (spaces around either name are ignored).</summary>
    public bool HasColumn(string name) => Array.Exists(_columns, c => ColumnName.Same(c.Name, name));

    /// <summary>The table without the columns named <paramref name="names"/> (ids, labels: columns that are not features).</summary>
    /// <exception cref="ArgumentException">A name is not a column, or every column would go.</exception>
    public CsvTable Without(IEnumerable<string> names)
    {
        string[] drop = [.. names];
        if (drop.Length == 0) return this;
        foreach (string name in drop) Column(name);   // throws, naming the columns there are
        TableColumn[] kept = [.. _columns.Where(c => !ColumnName.Contains(drop, c.Name))];
        if (kept.Length == 0) throw new ArgumentException($"Leaving out {ColumnName.List(drop)} leaves no column.");
        return new CsvTable(kept);
    }

    /// <summary>A table of the given rows (from 0, in the order given), with the same columns, kinds and cell texts.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A row is not in the table.</exception>
    public CsvTable SelectRows(IReadOnlyList<int> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        foreach (int r in rows) ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)r, (uint)Rows, nameof(rows));
        return new CsvTable(_columns.Select(c => c.SelectRows(rows)));
    }

    /// <summary>
    /// Reads a CSV file (comma-separated, UTF-8, optionally gzip-compressed) with a header row.
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is empty, has only a header, has an empty or repeated column
    /// name, a row with the wrong number of cells (the message gives the line and both counts), or broken quoting.</exception>
    public static CsvTable Read(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using CsvReader csv = OpenReader(path, out string[] names);
        var cells = NewCells(names.Length);
        ReadRows(csv, path, cells, int.MaxValue);
        if (cells[0].Count == 0) throw Bad(path, "has a header row but no data rows");
        try
        {
            return new CsvTable(names.Select((name, c) => TableColumn.FromCells(name, [.. cells[c]])));
        }
        catch (InvalidDataException e)
        {
            throw Bad(path, $"is not usable: {e.Message.TrimEnd('.')}");
        }
    }

    private static readonly CsvReaderOptions ReaderOptions = CsvReaderOptions.Default with
    {
        Separator = ',',            // never guessed: a file of one column must not turn into another separator
        HasHeader = false,          // the header is read as the first record, so that its names keep their exact text
        TrimWhitespace = true,
        TrackLineNumbers = true,
        MalformedData = CsvMalformedDataHandling.Throw,
        FieldCountMismatch = CsvFieldCountHandling.Allow,   // checked in ReadRows, for a message with both counts
    };

    /// <summary>Opens a CSV file (optionally gzip-compressed) and reads its header: named columns, no name twice.</summary>
    internal static CsvReader OpenReader(string path, out string[] names)
    {
        var (content, _, _) = DataFile.OpenRead(path);
        CsvReader? csv = null;
        try
        {
            csv = Translating(path, () => CsvReader.Create(content, ReaderOptions, leaveOpen: false));
            names = Translating(path, () => ReadHeader(csv, path));
            return csv;
        }
        catch
        {
            if (csv is null) content.Dispose();
            else csv.Dispose();
            throw;
        }
    }

    /// <summary>One empty list of cells per column, for <see cref="ReadRows"/>.</summary>
    internal static List<string?>[] NewCells(int columns) => [.. Enumerable.Range(0, columns).Select(_ => new List<string?>())];

    /// <summary>Appends the cells of up to <paramref name="maxRows"/> rows, column by column; returns how many rows it read (0 at the end).</summary>
    internal static int ReadRows(CsvReader csv, string path, List<string?>[] cells, int maxRows) => Translating(path, () =>
    {
        int rows = 0;
        for (; rows < maxRows && csv.Read(); rows++)
        {
            if (csv.FieldCount != cells.Length)
                throw Bad(path, $"has {Counted.Of(csv.FieldCount, "cell")} on line {csv.LineNumber}, but its header has {Counted.Of(cells.Length, "column")}");
            for (int c = 0; c < cells.Length; c++) cells[c].Add(csv.GetString(c));
        }
        return rows;
    });

    /// <summary>Runs a read, turning the parser's errors into one clear sentence about the file.</summary>
    private static T Translating<T>(string path, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (CsvFormatException e)
        {
            throw Bad(path, $"is not valid CSV: {e.Message.TrimEnd('.')}");
        }
        catch (System.Text.DecoderFallbackException)
        {
            throw Bad(path, "is not UTF-8 text");
        }
    }

    /// <summary>
    /// The header's names as written: an unquoted name keeps its spaces ("Cat 2 "), a quoted one its text inside the
    /// quotes. They must be unique, and not empty, once the spaces around them are set aside.
    /// </summary>
    private static string[] ReadHeader(CsvReader csv, string path)
    {
        if (!csv.Read()) throw Bad(path, "is empty: a header row of column names is needed");
        var names = new string[csv.FieldCount];
        for (int c = 0; c < names.Length; c++)
        {
            string raw = System.Text.Encoding.UTF8.GetString(csv.GetRawSpan(c));
            names[c] = raw.TrimStart().StartsWith('"') ? csv.GetString(c) : raw;
        }
        if (names.Length == 1 && names[0].Trim().Length == 0) throw Bad(path, "is empty: a header row of column names is needed");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int c = 0; c < names.Length; c++)
        {
            if (names[c].Trim().Length == 0) throw Bad(path, $"has no name for column {c} in its header row");
            if (!seen.Add(names[c].Trim())) throw Bad(path, $"has the column name '{names[c].Trim()}' twice in its header row");
        }
        return names;
    }

    internal static InvalidDataException Bad(string path, string problem) => new($"The CSV file '{path}' {problem}.");
}
