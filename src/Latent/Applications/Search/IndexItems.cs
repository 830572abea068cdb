using System.Globalization;
using Latent.Data;
using Latent.Engine;
using Latent.Imaging;
using Latent.Models;
using Latent.Storage;

namespace Latent.Applications.Search;

/// <summary>
/// Items to store in a <see cref="LatentIndex"/>, as rows with ids and metadata: the rows of a data set, CSV or IDX file
/// (id <c>source:row</c>, metadata: row and label), or every PNG file under a folder (id: its path in the folder,
/// metadata: file and, for a file in a sub-folder, label = the sub-folder's name).
/// </summary>
/// <param name="Source">A short name of where the items came from, for messages and ids.</param>
/// <param name="Spec">What <see cref="Load"/> was given: a data set name, or the absolute path of a file or folder (what <c>latent search --row</c> loads again).</param>
/// <param name="Rows">The items [count, columns] in the model's units.</param>
/// <param name="Labels">A whole-number label per item when every item has one (folder names numbered in ordinal order), else null.</param>
/// <param name="Data">What the rows are (image shape or table schema).</param>
public sealed record IndexItems(string Source, string Spec, string[] Ids, Tensor Rows, IReadOnlyDictionary<string, string>?[] Metadata, int[]? Labels, DataDescription Data)
{
    /// <summary>Number of items.</summary>
    public int Count => Ids.Length;

    /// <summary>The split the items come from when <see cref="Spec"/> names a data set, else null.</summary>
    public Split? SourceSplit { get; init; }

    /// <summary>How many images were converted to the model's size and colour (see <see cref="ImageConversion"/>).</summary>
    public int Converted { get; init; }

    /// <summary>
    /// Loads <paramref name="spec"/>: a folder of PNG files, else what <see cref="DataSource.Load"/> reads (a data set
    /// name, a CSV or an IDX file). With a <paramref name="model"/>, CSV rows are encoded by its schema and images must
    /// have its image shape (or are converted to it when <paramref name="convertImages"/> allows); without one, the first
    /// image decides the shape.
    /// </summary>
    /// <param name="columns">For a CSV file: its label column (stored as metadata) and columns that are not features.</param>
    /// <exception cref="FileNotFoundException">Neither a known data set, a file nor a folder with PNG files.</exception>
    /// <exception cref="InvalidDataException">A file that cannot be read, that does not match the model's schema, or an image
    /// of another size or colour than the model's without <paramref name="convertImages"/>.</exception>
    /// <exception cref="ArgumentException">A column of <paramref name="columns"/> is not in the data.</exception>
    public static IndexItems Load(string spec, Split split = Split.Train, string? dataDir = null, ColumnSelection? columns = null, IAutoencoder? model = null,
        bool convertImages = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(spec);
        if (Directory.Exists(spec))
        {
            (columns ?? ColumnSelection.None).CheckNoColumns($"the folder '{spec}'");
            return LoadFolder(spec, model is null ? null : ImageOf(model), convertImages);
        }
        Dataset dataset = DataSource.Load(spec, split, dataDir, model?.Data?.Schema, columns);
        string source = SourceName(spec, split);
        var inv = CultureInfo.InvariantCulture;
        string[] ids = [.. Enumerable.Range(0, dataset.Rows).Select(r => $"{source}:{r.ToString(inv)}")];
        var metadata = new IReadOnlyDictionary<string, string>?[dataset.Rows];
        for (int r = 0; r < dataset.Rows; r++)
        {
            var m = new Dictionary<string, string> { ["row"] = r.ToString(inv) };
            if (dataset.Labels is { } labels) m["label"] = labels[r].ToString(inv);
            metadata[r] = m;
        }
        string full = File.Exists(spec) ? Path.GetFullPath(spec) : spec;
        return new IndexItems(source, full, ids, dataset.Features, metadata, dataset.Labels, DataDescription.Of(dataset))
        {
            SourceSplit = Datasets.IsKnown(spec) ? split : null,
        };
    }

    /// <summary>Row <paramref name="row"/> of the items.</summary>
    /// <exception cref="ArgumentOutOfRangeException">There is no such row.</exception>
    public float[] Row(int row)
    {
        if (row < 0 || row >= Count) throw new ArgumentOutOfRangeException(nameof(row), row, $"The row must be between 0 and {Count - 1} for {Source}, not {row}.");
        int width = Rows.Dim(1);
        return Rows.Span.Slice(row * width, width).ToArray();
    }

    /// <summary>
    /// One query item for <paramref name="model"/> from a file: a PNG image of the model's image shape, or the first data
    /// row of a CSV file (its columns matched by name to the model's schema).
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">A PNG for a model not trained on images or of another size or colour than its images,
    /// a CSV file without rows or with other columns, or an unreadable file.</exception>
    /// <exception cref="ArgumentException">Neither a PNG nor a CSV file.</exception>
    public static float[] ReadQuery(string path, IAutoencoder model) => ReadQuery(path, model, null, convert: false, out _);

    /// <summary>
    /// One query item for <paramref name="model"/> from a file, as <see cref="ReadQuery(string, IAutoencoder)"/> reads it;
    /// a PNG of another size or colour is converted to the model's image shape when <paramref name="convert"/> allows.
    /// </summary>
    /// <param name="columns">For a CSV query: columns that are not features (a label, an id), left out.</param>
    /// <param name="convert">Whether a PNG of another size or colour may be converted (otherwise it is refused).</param>
    /// <param name="conversion">The PNG's own shape and the model's when it was converted, else null.</param>
    /// <exception cref="ArgumentException">Neither a PNG nor a CSV file, or a column of <paramref name="columns"/> is not in the CSV file.</exception>
    public static float[] ReadQuery(string path, IAutoencoder model, ColumnSelection? columns, bool convert, out (ImageShape From, ImageShape To)? conversion)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(model);
        conversion = null;
        InputFile.Check(path, "query file");
        if (path.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
        {
            if (ImageOf(model) is not { } image)
                throw new InvalidDataException("The index's model was not trained on images, so a PNG cannot be a query; give a CSV row or a row of a data set.");
            (columns ?? ColumnSelection.None).CheckNoColumns($"the image '{path}'");
            PngImage png = PngReader.Read(path);
            float[] values = ImageConversion.Fit(png, image, path, convert, out bool converted);
            if (converted) conversion = (ImageConversion.ShapeOf(png), image);
            return values;
        }
        if (path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".csv.gz", StringComparison.OrdinalIgnoreCase))
        {
            Dataset rows = DataSource.Load(path, Split.Train, schema: model.Data?.Schema, columns: columns);
            if (rows.Rows == 0) throw new InvalidDataException($"The query file '{path}' has no data row.");
            return rows.Features.Span[..rows.Columns].ToArray();
        }
        throw new ArgumentException($"A query file is a PNG image or a CSV file, not '{Path.GetFileName(path)}'; for rows of an IDX file or data set, search by row.");
    }

    /// <summary>The image shape a model takes: what it was trained on, or a convolutional model's own.</summary>
    private static ImageShape? ImageOf(IAutoencoder model) => model.Data?.Image ?? (model as ConvAutoencoder)?.Image;

    /// <summary>How ids name where rows came from: a named set with its split, else the file's name.</summary>
    private static string SourceName(string spec, Split split) =>
        Datasets.IsKnown(spec) ? $"{spec.Trim().ToLowerInvariant()}-{split.ToString().ToLowerInvariant()}" : Path.GetFileName(spec.TrimEnd('/', '\\'));

    /// <param name="image">The image shape the model takes (null: the first image's, gray or RGB).</param>
    /// <param name="convert">Whether images of another shape than <paramref name="image"/> may be converted to it.</param>
    private static IndexItems LoadFolder(string folder, ImageShape? image, bool convert)
    {
        string[] files = [.. Directory.EnumerateFiles(folder, "*.png", new EnumerationOptions { RecurseSubdirectories = true, MatchCasing = MatchCasing.CaseInsensitive })
            .Select(f => Path.GetRelativePath(folder, f)).Order(StringComparer.Ordinal)];
        if (files.Length == 0) throw new FileNotFoundException($"The folder '{folder}' holds no PNG files.");
        image ??= ImageConversion.ShapeOf(PngReader.Read(Path.Combine(folder, files[0])));
        ImageShape shape = image.Value;
        var values = new float[(long)files.Length * shape.Size];
        var metadata = new IReadOnlyDictionary<string, string>?[files.Length];
        int converted = 0;
        for (int i = 0; i < files.Length; i++)
        {
            string path = Path.Combine(folder, files[i]);
            ImageConversion.Fit(PngReader.Read(path), shape, path, convert, out bool changed).CopyTo(values, (long)i * shape.Size);
            if (changed) converted++;
            var m = new Dictionary<string, string> { ["file"] = files[i] };
            if (Path.GetDirectoryName(files[i]) is { Length: > 0 } sub) m["label"] = Path.GetFileName(sub);
            metadata[i] = m;
        }
        string[] ids = [.. files.Select(f => f.Replace('\\', '/'))];
        string full = Path.GetFullPath(folder);
        return new IndexItems(Path.GetFileName(full.TrimEnd('/', '\\')), full, ids, Tensor.FromArray(values, files.Length, shape.Size), metadata,
            FolderLabels(metadata), new DataDescription(shape)) { Converted = converted };
    }

    /// <summary>Sub-folder names numbered in ordinal order, when every image is in one.</summary>
    private static int[]? FolderLabels(IReadOnlyDictionary<string, string>?[] metadata)
    {
        if (metadata.Any(m => m is null || !m.ContainsKey("label"))) return null;
        var names = metadata.Select(m => m!["label"]).Distinct().Order(StringComparer.Ordinal).ToList();
        return [.. metadata.Select(m => names.IndexOf(m!["label"]))];
    }
}
