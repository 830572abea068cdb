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
    public int Count => Ids.Length;

    /// <summary>The split the items come from when <see cref="Spec"/> names a data set, else null.</summary>
    public Split? SourceSplit { get; init; }

    /// <summary>
    /// Loads <paramref name="spec"/>: a folder of PNG files, else what <see cref="DataSource.Load"/> reads (a data set
    /// name, a CSV or an IDX file). With a <paramref name="model"/>, CSV rows are encoded by its schema and images are
    /// converted and resized to its image shape; without one, the first image decides the shape.
    /// </summary>
    /// <exception cref="FileNotFoundException">Neither a known data set, a file nor a folder with PNG files.</exception>
    /// <exception cref="InvalidDataException">A file that cannot be read, or that does not match the model's schema.</exception>
    public static IndexItems Load(string spec, Split split = Split.Train, string? dataDir = null, string? labelColumn = null, IAutoencoder? model = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(spec);
        if (Directory.Exists(spec)) return LoadFolder(spec, model is null ? null : ImageOf(model));
        Dataset dataset = DataSource.Load(spec, split, dataDir, model?.Data?.Schema, labelColumn);
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
    /// One query item for <paramref name="model"/> from a file: a PNG image (converted to the model's channels and
    /// resized to its image size) or the first data row of a CSV file (encoded by the model's schema).
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">A PNG for a model not trained on images, a CSV file without rows, or an unreadable file.</exception>
    /// <exception cref="ArgumentException">Neither a PNG nor a CSV file.</exception>
    public static float[] ReadQuery(string path, IAutoencoder model)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(model);
        InputFile.Check(path, "query file");
        if (path.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
        {
            if (ImageOf(model) is not { } image)
                throw new InvalidDataException("The index's model was not trained on images, so a PNG cannot be a query; give a CSV row or a row of a data set.");
            return ReadImage(path, image);
        }
        if (path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".csv.gz", StringComparison.OrdinalIgnoreCase))
        {
            Dataset rows = DataSource.Load(path, Split.Train, schema: model.Data?.Schema);
            if (rows.Rows == 0) throw new InvalidDataException($"The query file '{path}' has no data row.");
            return rows.Features.Span[..rows.Columns].ToArray();
        }
        throw new ArgumentException($"A query file is a PNG image or a CSV file, not '{Path.GetFileName(path)}'; for rows of an IDX file or data set, search by row.", nameof(path));
    }

    /// <summary>The image shape a model takes: what it was trained on, or a convolutional model's own.</summary>
    private static ImageShape? ImageOf(IAutoencoder model) => model.Data?.Image ?? (model as ConvAutoencoder)?.Image;

    /// <summary>How ids name where rows came from: a named set with its split, else the file's name.</summary>
    private static string SourceName(string spec, Split split) =>
        Datasets.IsKnown(spec) ? $"{spec.Trim().ToLowerInvariant()}-{split.ToString().ToLowerInvariant()}" : Path.GetFileName(spec.TrimEnd('/', '\\'));

    /// <param name="image">The image shape the model takes (null: the first image's, gray or RGB).</param>
    private static IndexItems LoadFolder(string folder, ImageShape? image)
    {
        string[] files = [.. Directory.EnumerateFiles(folder, "*.png", new EnumerationOptions { RecurseSubdirectories = true, MatchCasing = MatchCasing.CaseInsensitive })
            .Select(f => Path.GetRelativePath(folder, f)).Order(StringComparer.Ordinal)];
        if (files.Length == 0) throw new FileNotFoundException($"The folder '{folder}' holds no PNG files.");
        if (image is null)
        {
            PngReader.Read(Path.Combine(folder, files[0])).ToFloats(out ImageShape first);
            image = new ImageShape(first.Channels >= 3 ? 3 : 1, first.Height, first.Width);
        }
        ImageShape shape = image.Value;
        var values = new float[(long)files.Length * shape.Size];
        var metadata = new IReadOnlyDictionary<string, string>?[files.Length];
        for (int i = 0; i < files.Length; i++)
        {
            ReadImage(Path.Combine(folder, files[i]), shape).CopyTo(values, (long)i * shape.Size);
            var m = new Dictionary<string, string> { ["file"] = files[i] };
            if (Path.GetDirectoryName(files[i]) is { Length: > 0 } sub) m["label"] = Path.GetFileName(sub);
            metadata[i] = m;
        }
        string[] ids = [.. files.Select(f => f.Replace('\\', '/'))];
        string full = Path.GetFullPath(folder);
        return new IndexItems(Path.GetFileName(full.TrimEnd('/', '\\')), full, ids, Tensor.FromArray(values, files.Length, shape.Size), metadata,
            FolderLabels(metadata), new DataDescription(shape));
    }

    /// <summary>Sub-folder names numbered in ordinal order, when every image is in one.</summary>
    private static int[]? FolderLabels(IReadOnlyDictionary<string, string>?[] metadata)
    {
        if (metadata.Any(m => m is null || !m.ContainsKey("label"))) return null;
        var names = metadata.Select(m => m!["label"]).Distinct().Order(StringComparer.Ordinal).ToList();
        return [.. metadata.Select(m => names.IndexOf(m!["label"]))];
    }

    /// <summary>A PNG file as one row of <paramref name="target"/>'s shape: colour to gray or back, alpha dropped, resized.</summary>
    private static float[] ReadImage(string path, ImageShape target)
    {
        PngImage image = PngReader.Read(path);
        if (target.Channels is not (1 or 3))
            throw new InvalidDataException($"The model takes images of {target.Channels} channels, which '{path}' cannot be turned into.");
        float[] values = image.ToFloats(target.Channels);
        var shape = new ImageShape(target.Channels, image.Height, image.Width);
        return shape.Height == target.Height && shape.Width == target.Width ? values : ImageResize.Resize(values, shape, target.Height, target.Width);
    }
}
