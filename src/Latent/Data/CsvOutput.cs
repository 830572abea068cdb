using System.Globalization;
using CsvHelper;
using Latent.Engine;
using Latent.Storage;

namespace Latent.Data;

/// <summary>
/// Writes results as CSV (header row, invariant culture, shortest round-trip numbers, empty cell for a missing
/// value, RFC 4180 quoting), atomically: a failure never leaves a half-written file.
/// </summary>
public static class CsvOutput
{
    /// <summary>Numeric rows [rows, columns] under <paramref name="header"/>; with labels, a last column of them.</summary>
    public static void Write(string path, IReadOnlyList<string> header, Tensor rows, int[]? labels = null, string labelHeader = "label")
    {
        int width = rows.Dim(1);
        if (header.Count != width) throw new ArgumentException($"{header.Count} column names for rows of {width} values.");
        if (labels is not null && labels.Length != rows.Dim(0)) throw new ArgumentException($"{labels.Length} labels for {rows.Dim(0)} rows.");
        float[] values = rows.ToArray();
        AtomicFile.Write(path, stream =>
        {
            using var csv = Writer(stream);
            foreach (string name in header) csv.WriteField(name);
            if (labels is not null) csv.WriteField(labelHeader);
            csv.EndRecord();
            for (int r = 0; r < rows.Dim(0); r++)
            {
                for (int c = 0; c < width; c++) csv.WriteField(Format(values[r * width + c]));
                if (labels is not null) csv.WriteField(labels[r].ToString(CultureInfo.InvariantCulture));
                csv.EndRecord();
            }
        });
    }

    /// <summary>One column of whole numbers (cluster ids, classes) under <paramref name="header"/>; with labels, a last column of them.</summary>
    public static void Write(string path, string header, int[] values, int[]? labels = null, string labelHeader = "label")
    {
        ArgumentNullException.ThrowIfNull(values);
        using Tensor rows = Tensor.FromArray([.. values.Select(v => (float)v)], values.Length, 1);
        Write(path, [header], rows, labels, labelHeader);
    }

    /// <summary>A table with its original column names, numeric and categorical columns alike.</summary>
    public static void Write(string path, CsvTable table)
    {
        AtomicFile.Write(path, stream =>
        {
            using var csv = Writer(stream);
            foreach (TableColumn column in table.Columns) csv.WriteField(column.Name);
            csv.EndRecord();
            for (int r = 0; r < table.Rows; r++)
            {
                foreach (TableColumn column in table.Columns)
                    csv.WriteField(column.Text(r) ?? "");   // a cell read from a file keeps its text ("2.50" stays "2.50")
                csv.EndRecord();
            }
        });
    }

    private static CsvWriter Writer(Stream stream) => CsvWriter.Create(stream, new CsvWriterOptions(), true);

    private static string Format(float value) => float.IsNaN(value) ? "" : value.ToString("R", CultureInfo.InvariantCulture);
}
