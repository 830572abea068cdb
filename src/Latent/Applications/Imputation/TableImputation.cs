using System.Globalization;
using Latent.Data;
using Latent.Engine;

namespace Latent.Applications.Imputation;

/// <summary>
/// What every imputer does with a table: choose the columns to impute (numeric and categorical; free text with
/// many distinct values passes through), impute their encoded matrix, and write the result back with known cells
/// keeping their original text. A filled cell is a valid value of its column: one of its categories, or a number within
/// the range of its known values, and a whole number when every known value is one (counts, codes, years).
/// </summary>
internal static class TableImputation
{
    /// <summary>The columns to impute: every column but free text and <paramref name="exclude"/>, which pass through.</summary>
    /// <exception cref="ArgumentException">An excluded name is not a column, nothing can be imputed, or a column to impute has no values at all.</exception>
    public static TableSchema SchemaFor(CsvTable table, int maxCategories, IEnumerable<string>? exclude = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        string[] excluded = [.. (exclude ?? []).Select(name => table.Column(name).Name)];   // throws, naming the columns there are
        string[] passThrough = [.. table.Columns.Where(c => excluded.Contains(c.Name) || IsFreeText(c, maxCategories)).Select(c => c.Name)];
        if (passThrough.Length == table.Columns.Count)
            throw new ArgumentException(excluded.Length > 0
                ? $"There is nothing to impute: every column is excluded or free text with more than {maxCategories} distinct values."
                : $"There is nothing to impute: every column is free text with more than {maxCategories} distinct values.");
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

    /// <summary>The table with the missing cells of the schema's columns filled by <paramref name="impute"/>; <paramref name="exclude"/> passes through.</summary>
    public static CsvTable Fill(CsvTable table, TableSchema schema, Func<Tensor, Tensor> impute, IReadOnlyList<string>? exclude = null)
    {
        using Tensor encoded = schema.Encode(table.Without(exclude ?? []));
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
            NumberRule? rule = imputed.Kind == ColumnKind.Numeric ? NumberRule.Of(column) : null;
            var cells = new string?[table.Rows];
            for (int r = 0; r < cells.Length; r++) cells[r] = column.IsMissing(r) ? Format(imputed, r, rule) : column.Text(r);
            columns.Add(TableColumn.FromCells(column.Name, cells));
        }
        return new CsvTable(columns);
    }

    /// <summary>What a filled number may be: within the known values' range, and whole when they all are.</summary>
    private sealed record NumberRule(double Min, double Max, bool Whole)
    {
        /// <summary>The rule of a numeric column's known values; none when it has none (a new table's column may be all holes).</summary>
        public static NumberRule? Of(TableColumn column)
        {
            double[] known = [.. Enumerable.Range(0, column.Length).Where(r => !column.IsMissing(r)).Select(column.Number)];
            return known.Length == 0 ? null : new NumberRule(known.Min(), known.Max(), known.All(double.IsInteger));
        }
    }

    /// <summary>An imputed cell: a category, or a number held to <paramref name="rule"/> (to float precision: it was computed in float32).</summary>
    private static string? Format(TableColumn imputed, int row, NumberRule? rule)
    {
        if (imputed.Kind != ColumnKind.Numeric) return imputed.Text(row);
        double value = imputed.Number(row);
        if (rule is not null) value = Math.Clamp(value, rule.Min, rule.Max);
        return rule is { Whole: true }
            ? (Math.Round(value, MidpointRounding.AwayFromZero) + 0.0).ToString(CultureInfo.InvariantCulture)   // + 0.0: no "-0"
            : ((float)value).ToString("R", CultureInfo.InvariantCulture);
    }
}
