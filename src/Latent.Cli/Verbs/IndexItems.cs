using System.Globalization;
using Latent.Data;
using Latent.Engine;
using Latent.Imaging;
using Latent.Models;

namespace Latent.Cli.Verbs;

/// <summary>
/// The items that `latent index build` and `index add` store: rows of a data set, CSV or IDX file (id
/// <c>source:row</c>, metadata row and label), or the PNG files of a folder (id = path in the folder, label = the
/// sub-folder's name).
/// </summary>
internal sealed record IndexItems(string Source, string[] Ids, Tensor Rows, IReadOnlyDictionary<string, string>?[] Metadata, Dataset? Dataset, ImageShape? Image)
{
    public int Count => Ids.Length;

    /// <param name="image">For a folder of PNG files: the image shape the model takes (null: the first image's).</param>
    public static IndexItems Load(string spec, Split split, string? dataDir, string? labelColumn, TableSchema? schema, ImageShape? image)
    {
        if (Directory.Exists(spec)) return LoadFolder(spec, image);
        Dataset dataset = DataSource.Load(spec, split, dataDir, schema, labelColumn);
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
        return new IndexItems(source, ids, dataset.Features, metadata, dataset, dataset.Image);
    }

    /// <summary>How ids name where rows came from: a named set with its split, else the file's name.</summary>
    public static string SourceName(string spec, Split split) =>
        Datasets.IsKnown(spec) ? $"{spec.Trim().ToLowerInvariant()}-{split.ToString().ToLowerInvariant()}" : Path.GetFileName(spec.TrimEnd('/', '\\'));

    private static IndexItems LoadFolder(string folder, ImageShape? image)
    {
        string[] files = ImageQuery.Files(folder);
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
            ImageQuery.Load(Path.Combine(folder, files[i]), shape).CopyTo(values, (long)i * shape.Size);
            var m = new Dictionary<string, string> { ["file"] = files[i] };
            if (Path.GetDirectoryName(files[i]) is { Length: > 0 } sub) m["label"] = Path.GetFileName(sub);
            metadata[i] = m;
        }
        string[] ids = [.. files.Select(f => f.Replace('\\', '/'))];
        return new IndexItems(Path.GetFileName(Path.GetFullPath(folder).TrimEnd('/', '\\')), ids, Tensor.FromArray(values, files.Length, shape.Size), metadata, null, shape);
    }
}
