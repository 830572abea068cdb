using Latent.Engine;

namespace Latent.Data;

/// <summary>
/// How a table becomes model input and back, learned from one table: numeric columns are copied (NaN where
/// missing), categorical columns become one-hot groups (all NaN where missing) over the categories seen when
/// fitting. Columns can be excluded (a label, an id); they are left out of the encoding and may be absent
/// from later tables. Later tables are matched by column name, in any order. A schema is stored as JSON in a model file so that new files are encoded the same way.
/// </summary>
/// <example>
/// <code>
/// var table = CsvTable.Read("train.csv");
/// var schema = TableSchema.Fit(table, exclude: ["label"]);
/// Tensor rows = schema.Encode(table);                        // [rows, schema.EncodedWidth]
/// TableColumn labels = table.Column("label");
/// Tensor newRows = TableSchema.FromJson(schema.ToJson()).Encode(CsvTable.Read("new.csv"));
/// </code>
/// </example>
public sealed class TableSchema
{
    private const string FormatName = "latent.table-schema/1";
    private readonly SchemaColumn[] _columns;
    private readonly string[] _excluded;

    private TableSchema(SchemaColumn[] columns, string[] excluded)
    {
        _columns = columns;
        _excluded = excluded;
        EncodedWidth = columns.Sum(c => c.Width);
    }

    /// <summary>The encoded columns' sources, in order.</summary>
    public IReadOnlyList<SchemaColumn> Columns => _columns;

    /// <summary>The column names left out of the encoding.</summary>
    public IReadOnlyList<string> ExcludedColumns => _excluded;

    /// <summary>The width of an encoded row.</summary>
    public int EncodedWidth { get; }

    /// <summary>A name per encoded column: the column name, or <c>name=category</c> for one-hot columns.</summary>
    public IReadOnlyList<string> EncodedNames => [.. _columns.SelectMany(c => c.EncodedNames)];

    /// <summary>Learns the columns, their kinds and the categories of <paramref name="table"/>, leaving out <paramref name="exclude"/>.</summary>
    /// <exception cref="ArgumentException">An excluded name is not a column, or every column is excluded.</exception>
    public static TableSchema Fit(CsvTable table, IEnumerable<string>? exclude = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        string[] excluded = [.. (exclude ?? []).Select(name => table.Column(name).Name).Distinct()];   // throws, naming the columns there are
        SchemaColumn[] columns =
        [
            .. table.Columns.Where(c => !excluded.Contains(c.Name))
                .Select(c => new SchemaColumn(c.Name, c.Kind, c.Kind == ColumnKind.Categorical ? c.Categories() : [])),
        ];
        if (columns.Length == 0) throw new ArgumentException("Every column of the table is excluded; nothing is left to encode.", nameof(exclude));
        return new TableSchema(columns, excluded);
    }

    /// <summary>Encodes <paramref name="table"/> to a new tensor [rows, <see cref="EncodedWidth"/>]; its columns are found by name, in any order.</summary>
    /// <exception cref="InvalidDataException">The table lacks a column of the schema, has one the schema does not know (and
    /// does not exclude), has a numeric column that is no longer numeric, or a categorical cell holds a category the schema
    /// does not know.</exception>
    public Tensor Encode(CsvTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        TableColumn[] sources = Match(table);
        int rows = table.Rows, width = EncodedWidth;
        var values = new float[rows * width];
        int offset = 0;
        for (int c = 0; c < _columns.Length; c++)
        {
            SchemaColumn column = _columns[c];
            TableColumn source = sources[c];
            if (column.Kind == ColumnKind.Numeric)
            {
                for (int r = 0; r < rows; r++) values[r * width + offset] = (float)source.Number(r);
            }
            else
            {
                var index = new Dictionary<string, int>(StringComparer.Ordinal);
                for (int k = 0; k < column.Categories.Count; k++) index[column.Categories[k]] = k;
                for (int r = 0; r < rows; r++)
                {
                    Span<float> group = values.AsSpan(r * width + offset, column.Width);
                    if (source.Text(r) is not { } text) { group.Fill(float.NaN); continue; }
                    if (!index.TryGetValue(text, out int k))
                        throw new InvalidDataException($"Column '{column.Name}' holds the category '{text}' in data row {r}, which the schema does not know (it knows {ColumnName.List(column.Categories)}).");
                    group[k] = 1f;
                }
            }
            offset += column.Width;
        }
        return Tensor.FromArray(values, rows, width);
    }

    /// <summary>
    /// Turns encoded rows back into a table: numeric columns as they are (NaN = missing), each one-hot group to the
    /// category with the highest value (the first on a tie; missing when the whole group is NaN).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="encoded"/> is not [rows, <see cref="EncodedWidth"/>].</exception>
    public CsvTable Decode(Tensor encoded)
    {
        ArgumentNullException.ThrowIfNull(encoded);
        if (encoded.Rank != 2 || encoded.Dim(1) != EncodedWidth)
            throw new ArgumentException($"Encoded rows must have shape [rows, {EncodedWidth}], not {IdxFile.FormatShape(encoded.Shape)}.", nameof(encoded));
        int rows = encoded.Dim(0), width = EncodedWidth;
        ReadOnlySpan<float> values = encoded.Span;
        var columns = new List<TableColumn>(_columns.Length);
        int offset = 0;
        foreach (SchemaColumn column in _columns)
        {
            if (column.Kind == ColumnKind.Numeric)
            {
                var numbers = new double[rows];
                for (int r = 0; r < rows; r++)
                {
                    float v = values[r * width + offset];
                    numbers[r] = float.IsInfinity(v) ? double.NaN : v;
                }
                columns.Add(TableColumn.Numeric(column.Name, numbers));
            }
            else
            {
                var texts = new string?[rows];
                for (int r = 0; r < rows; r++)
                {
                    int best = ArgMax(values.Slice(r * width + offset, column.Width));
                    texts[r] = best < 0 ? null : column.Categories[best];
                }
                columns.Add(TableColumn.Categorical(column.Name, texts));
            }
            offset += column.Width;
        }
        return new CsvTable(columns);
    }

    /// <summary>The schema as a JSON string, for a model file's metadata.</summary>
    public string ToJson() => System.Text.Json.JsonSerializer.Serialize(
        new TableSchemaJson(FormatName,
            [.. _columns.Select(c => new SchemaColumnJson(c.Name, KindName(c.Kind), c.Kind == ColumnKind.Categorical ? [.. c.Categories] : null))],
            [.. _excluded]),
        DataJsonContext.Default.TableSchemaJson);

    /// <summary>A schema from <see cref="ToJson"/>'s output.</summary>
    /// <exception cref="InvalidDataException">The text is not a table schema.</exception>
    public static TableSchema FromJson(string json)
    {
        TableSchemaJson dto = DataJsonContext.Parse(json, DataJsonContext.Default.TableSchemaJson, "table schema");
        if (dto.Format != FormatName) throw new InvalidDataException($"The table schema JSON has format '{dto.Format}', not '{FormatName}'.");
        if (dto.Columns is not { Count: > 0 }) throw new InvalidDataException("The table schema JSON lists no columns.");
        if (dto.Columns.Any(c => string.IsNullOrWhiteSpace(c.Name)) || dto.Columns.DistinctBy(c => c.Name).Count() != dto.Columns.Count)
            throw new InvalidDataException("The table schema JSON has a column without a name, or two columns with the same name.");
        SchemaColumn[] columns =
        [
            .. dto.Columns.Select(c => c.Kind switch
            {
                "numeric" => new SchemaColumn(c.Name, ColumnKind.Numeric, []),
                "categorical" when c.Categories is { Count: > 0 } => new SchemaColumn(c.Name, ColumnKind.Categorical, [.. c.Categories]),
                _ => throw new InvalidDataException($"The table schema JSON describes column '{c.Name}' as '{c.Kind}' (with {c.Categories?.Count ?? 0} categories), which is neither numeric nor categorical with categories."),
            }),
        ];
        return new TableSchema(columns, [.. dto.Excluded ?? []]);
    }

    /// <summary>
    /// Where each schema column is among <paramref name="names"/> (a table's or a file's columns, in any order), after
    /// checking that every schema column is there and that every other name is excluded, by the schema or by <paramref name="ignore"/>.
    /// </summary>
    /// <param name="subject">What the names belong to, as the message names it ("The table", "The CSV file 'a.csv'").</param>
    /// <exception cref="InvalidDataException">A schema column is missing or an unknown column is there; the message names them.</exception>
    internal int[] Locate(IReadOnlyList<string> names, string subject, IEnumerable<string>? ignore = null)
    {
        string[] ignored = [.. _excluded, .. ignore ?? []];
        int[] positions = [.. _columns.Select(c => ColumnName.IndexOf(names, c.Name))];
        string[] missing = [.. _columns.Where((_, i) => positions[i] < 0).Select(c => c.Name)];
        string[] extra = [.. names.Where(n => !_columns.Any(c => ColumnName.Same(c.Name, n)) && !ColumnName.Contains(ignored, n))];
        if (missing.Length == 0 && extra.Length == 0) return positions;
        var differences = new List<string>();
        if (missing.Length > 0) differences.Add($"it lacks {ColumnName.List(missing)}");
        if (extra.Length > 0) differences.Add($"it has the unknown {ColumnName.List(extra)}");
        throw new InvalidDataException(
            $"{subject} does not have the expected columns: {string.Join(" and ", differences)} (expected {ColumnName.List(_columns.Select(c => c.Name))}, in any order; exclude any others).");
    }

    /// <summary>The table's column for each schema column, found by name, after checking that the two agree.</summary>
    private TableColumn[] Match(CsvTable table)
    {
        TableColumn[] present = [.. Locate(table.ColumnNames, "The table").Select(i => table.Columns[i])];
        for (int c = 0; c < _columns.Length; c++)
            if (_columns[c].Kind == ColumnKind.Numeric && present[c].Kind != ColumnKind.Numeric)
                throw new InvalidDataException($"The table does not match the schema: column '{_columns[c].Name}' was numeric but now holds text such as '{FirstText(present[c])}'.");
        // A categorical column may now look numeric (e.g. only "1" and "2" occur): it is still encoded by its texts.
        return present;
    }

    private static string? FirstText(TableColumn column)
    {
        for (int r = 0; r < column.Length; r++)
            if (column.Text(r) is { } t && !TableColumn.TryParseNumber(t, out _)) return t;
        return null;
    }

    private static int ArgMax(ReadOnlySpan<float> group)
    {
        int best = -1;
        for (int k = 0; k < group.Length; k++)
            if (!float.IsNaN(group[k]) && (best < 0 || group[k] > group[best])) best = k;
        return best;
    }

    private static string KindName(ColumnKind kind) => kind == ColumnKind.Numeric ? "numeric" : "categorical";
}
