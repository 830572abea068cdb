using CsvHelper;

namespace Latent.Data;

/// <summary>
/// Reads a large CSV file (optionally gzip-compressed) as consecutive <see cref="CsvTable"/>s of at most a given
/// number of rows, in memory that does not grow with the file, typed by a known <see cref="TableSchema"/>: the
/// schema's numeric columns as numbers, every other column as text. The header is checked against the schema when
/// the file is opened (columns are matched by name, in any order), so a file with other columns is refused before any
/// row is read.
/// </summary>
/// <example>
/// <code>
/// using var reader = CsvChunkReader.Open("big.csv", schema, chunkRows: 65_536);
/// while (reader.Next() is { } chunk) Process(schema.Encode(chunk));   // chunk.Rows ≤ 65,536
/// </code>
/// </example>
public sealed class CsvChunkReader : IDisposable
{
    private readonly CsvReader _csv;
    private readonly string _path;
    private readonly string[] _names;
    private readonly bool[] _numeric;
    private readonly int _chunkRows;

    private CsvChunkReader(CsvReader csv, string path, string[] names, bool[] numeric, int chunkRows)
    {
        _csv = csv;
        _path = path;
        _names = names;
        _numeric = numeric;
        _chunkRows = chunkRows;
    }

    /// <summary>The column names of the file, in file order.</summary>
    public IReadOnlyList<string> ColumnNames => _names;

    /// <summary>Data rows read so far.</summary>
    public long RowsRead { get; private set; }

    /// <summary>Rows per chunk unless told: memory stays small (65,536 rows of ten columns are 2.6 MB of floats).</summary>
    public const int DefaultChunkRows = 65_536;

    /// <summary>
    /// Opens <paramref name="path"/> and checks its header against <paramref name="schema"/>: excluded columns may be absent
    /// or present, and so may the columns that <paramref name="columns"/> leaves out (those must be in the file).
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The header is empty or has a repeated name, or the columns differ from the schema's (the message says how).</exception>
    /// <exception cref="ArgumentException">A column of <paramref name="columns"/> is not in the file.</exception>
    public static CsvChunkReader Open(string path, TableSchema schema, int chunkRows = DefaultChunkRows, ColumnSelection? columns = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkRows, 1);
        CsvReader csv = CsvTable.OpenReader(path, out string[] names);
        try
        {
            columns ??= ColumnSelection.None;
            columns.Check(names, $"the CSV file '{path}'");
            int[] positions = schema.Locate(names, $"The CSV file '{path}'", columns.LeftOut);
            var numeric = new bool[names.Length];
            for (int c = 0; c < positions.Length; c++) numeric[positions[c]] = schema.Columns[c].Kind == ColumnKind.Numeric;
            return new CsvChunkReader(csv, path, names, numeric, chunkRows);
        }
        catch
        {
            csv.Dispose();
            throw;
        }
    }

    /// <summary>The next rows (at most the chunk size), or null at the end of the file.</summary>
    /// <exception cref="InvalidDataException">A row has the wrong number of cells, broken quoting, or text in a numeric column (the message gives the row).</exception>
    public CsvTable? Next()
    {
        var cells = CsvTable.NewCells(_names.Length);
        CsvTable.ReadRows(_csv, _path, cells, _chunkRows);
        if (cells[0].Count == 0) return null;
        long first = RowsRead;
        RowsRead += cells[0].Count;
        return new CsvTable(_names.Select((name, c) => _numeric[c] ? NumericColumn(name, cells[c], first) : TableColumn.Categorical(name, cells[c])));
    }

    private TableColumn NumericColumn(string name, List<string?> cells, long firstRow)
    {
        var values = new double[cells.Count];
        for (int r = 0; r < values.Length; r++)
        {
            if (MissingMarkers.IsMissing(cells[r])) values[r] = double.NaN;
            else if (!TableColumn.TryParseNumber(cells[r]!.Trim(), out values[r]))
                throw CsvTable.Bad(_path, $"has '{cells[r]!.Trim()}' in data row {firstRow + r} of column '{name}', which holds numbers");
        }
        return TableColumn.Numeric(name, values);
    }

    /// <summary>Closes the file.</summary>
    public void Dispose() => _csv.Dispose();
}
