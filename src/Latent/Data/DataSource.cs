using Latent.Imaging;
using System.Text.RegularExpressions;

namespace Latent.Data;

/// <summary>
/// Resolves what a user names on the command line (--data) to rows for a model: a known data set name
/// (<see cref="Datasets.Names"/>), a CSV file (<c>.csv</c> or <c>.csv.gz</c>; encoded by a <see cref="TableSchema"/>),
/// a CIFAR-10 binary batch (<c>.bin</c>), or an IDX images file (with the labels of the matching <c>…labels-idx1-ubyte</c> file beside it, when there is one).
/// </summary>
public static partial class DataSource
{
    /// <summary>
    /// Loads <paramref name="spec"/>. <paramref name="split"/> applies to named data sets only; a file is loaded whole.
    /// </summary>
    /// <param name="spec">A data set name, or the path of a CSV or IDX file.</param>
    /// <param name="split">Which split of a named data set.</param>
    /// <param name="dataDir">The folder to look for named data sets in first (see <see cref="Datasets"/>).</param>
    /// <param name="schema">For a CSV file: the schema to encode it with (e.g. from a model file), instead of one fitted on the file;
    /// its columns are matched by name, in any order.</param>
    /// <param name="columns">For a CSV file: a column of whole-number labels, returned as <see cref="Dataset.Labels"/>, and columns
    /// to leave out (ids); neither is a feature. Other data has no named columns, so naming one is refused.</param>
    /// <exception cref="FileNotFoundException"><paramref name="spec"/> is neither a known name nor an existing file, or a named set's files are missing.</exception>
    /// <exception cref="InvalidDataException">The file is not valid CSV or IDX, or does not match <paramref name="schema"/>.</exception>
    /// <exception cref="ArgumentException">A column of <paramref name="columns"/> is not in the data, or is a feature of <paramref name="schema"/>.</exception>
    public static Dataset Load(string spec, Split split, string? dataDir = null, TableSchema? schema = null, ColumnSelection? columns = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(spec);
        columns ??= ColumnSelection.None;
        if (Datasets.IsKnown(spec))
        {
            columns.CheckNoColumns($"the data set '{spec}'");
            return Datasets.Load(spec, split, dataDir);
        }
        if (!File.Exists(spec))
            throw new FileNotFoundException(Directory.Exists(spec)
                ? $"'{spec}' is a folder; give a data set name ({string.Join(", ", Datasets.Names)}) or the path of a CSV or IDX file."
                : $"'{spec}' is neither a known data set ({string.Join(", ", Datasets.Names)}) nor an existing file.", spec);
        if (IsCsv(spec)) return LoadCsv(spec, schema, columns);
        if (Cifar10File.IsCifar(spec))
        {
            columns.CheckNoColumns($"the CIFAR-10 file '{spec}'");
            return Cifar10File.Read(spec);
        }
        columns.CheckNoColumns($"the IDX file '{spec}'");
        return LoadIdx(spec);
    }

    private static bool IsCsv(string path) =>
        path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".csv.gz", StringComparison.OrdinalIgnoreCase);

    private static Dataset LoadCsv(string path, TableSchema? schema, ColumnSelection columns)
    {
        CsvTable table = CsvTable.Read(path);
        columns.Check(table.ColumnNames, $"the CSV file '{path}'");
        if (schema is null) schema = TableSchema.Fit(table, columns.LeftOut);
        else if (columns.LeftOut.FirstOrDefault(name => schema.Columns.Any(c => ColumnName.Same(c.Name, name))) is { } feature)
            throw new ArgumentException($"Column '{feature}' is a feature of the model's schema, so it cannot be left out as a label or excluded column.");
        int[]? labels = columns.Label is { } label ? Labels(table.Column(label), path) : null;
        return new Dataset(NameOf(path), schema.Encode(table.Without(columns.LeftOut)), labels, ColumnNames: schema.EncodedNames) { Schema = schema };
    }

    private static int[] Labels(TableColumn column, string path)
    {
        var labels = new int[column.Length];
        for (int r = 0; r < labels.Length; r++)
        {
            string? text = column.Text(r);
            if (text is null || !TableColumn.TryParseNumber(text, out double v) || v != Math.Floor(v) || Math.Abs(v) > int.MaxValue)
                throw new InvalidDataException($"The CSV file '{path}' has {(text is null ? "no label" : $"the label '{text}'")} in data row {r} of column '{column.Name}', which needs a whole number in every row.");
            labels[r] = (int)v;
        }
        return labels;
    }

    private static Dataset LoadIdx(string path)
    {
        IdxImages images = IdxFile.ReadImages(path);
        int[]? labels = null;
        if (LabelsFileFor(path) is { } labelsPath)
        {
            labels = IdxFile.ReadLabels(labelsPath);
            if (labels.Length != images.Count)
                throw new InvalidDataException($"The labels file '{labelsPath}' holds {labels.Length} labels for the {images.Count} images of '{path}'.");
        }
        return new Dataset(NameOf(path), images.Pixels, labels, new ImageShape(1, images.Height, images.Width));
    }

    /// <summary>The labels file beside an images file (train-images-idx3-ubyte.gz → train-labels-idx1-ubyte[.gz]), if it exists.</summary>
    internal static string? LabelsFileFor(string imagesPath)
    {
        string file = Path.GetFileName(imagesPath);
        if (!ImagesName().IsMatch(file)) return null;
        string labels = ImagesName().Replace(file, "labels${sep}idx1", 1);
        if (labels.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)) labels = labels[..^3];
        return IdxDatasetInfo.Locate(Path.GetDirectoryName(Path.GetFullPath(imagesPath))!, labels);
    }

    [GeneratedRegex(@"images(?<sep>[-.])idx3", RegexOptions.IgnoreCase)]
    private static partial Regex ImagesName();

    private static string NameOf(string path)
    {
        string name = Path.GetFileName(path);
        if (name.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)) name = name[..^3];
        return Path.GetFileNameWithoutExtension(name);
    }
}
