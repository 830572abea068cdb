using System.Globalization;
using Latent.Data;
using Latent.Engine;

namespace Latent.Applications.Imputation;

/// <summary>
/// What every imputer does with a table: choose the columns to impute (numeric and categorical; free text with
/// many distinct values passes through), impute their encoded matrix, and write the result back with known cells
/// keeping their original text.
/// </summary>
internal static class TableImputation
{
    /// <exception cref="ArgumentException">Nothing can be imputed, or a column to impute has no values at all.</exception>
    public static TableSchema SchemaFor(CsvTable table, int maxCategories)
    {
        ArgumentNullException.ThrowIfNull(table);
        string[] passThrough = [.. table.Columns.Where(c => IsFreeText(c, maxCategories)).Select(c => c.Name)];
        if (passThrough.Length == table.Columns.Count)
            throw new ArgumentException($"There is nothing to impute: every column is free text with more than {maxCategories} distinct values.");
        foreach (TableColumn column in table.Columns)
            if (!passThrough.Contains(column.Name) && Enumerable.Range(0, table.Rows).All(column.IsMissing))
                throw new ArgumentException($"Column '{column.Name}' has no values at all, so there is nothing to learn it from; drop it or fill it first.");
        return TableSchema.Fit(table, passThrough);
    }

    /// <summary>Text with more than <paramref name="maxCategories"/> distinct values, or a distinct value in nearly every row (ids, notes).</summary>
    private static bool IsFreeText(TableColumn column, int maxCategories)
    {
        if (column.Kind != ColumnKind.Categorical) return false;
        int distinct = column.Categories().Count, present = Enumerable.Range(0, column.Length).Count(r => !column.IsMissing(r));
        return distinct > maxCategories || (present >= 5 && distinct >= 0.9 * present);
    }

    /// <summary>The table with the missing cells of the schema's columns filled by <paramref name="impute"/>.</summary>
    public static CsvTable Fill(CsvTable table, TableSchema schema, Func<Tensor, Tensor> impute)
    {
        using Tensor encoded = schema.Encode(table);
        using Tensor filled = impute(encoded);
        CsvTable decoded = schema.Decode(filled);
        var columns = new List<TableColumn>();
        foreach (TableColumn column in table.Columns)
        {
            if (!decoded.HasColumn(column.Name))
            {
                columns.Add(column);
                continue;
            }
            TableColumn imputed = decoded.Column(column.Name);
            var cells = new string?[table.Rows];
            for (int r = 0; r < cells.Length; r++) cells[r] = column.IsMissing(r) ? Format(imputed, r) : column.Text(r);
            columns.Add(TableColumn.FromCells(column.Name, cells));
        }
        return new CsvTable(columns);
    }

    /// <summary>An imputed cell: a category, or a number to float precision (it was computed in float32).</summary>
    private static string? Format(TableColumn imputed, int row) => imputed.Kind == ColumnKind.Numeric
        ? ((float)imputed.Number(row)).ToString("R", CultureInfo.InvariantCulture)
        : imputed.Text(row);
}
