using Latent.Imaging;
using Latent.Engine;

namespace Latent.Data;

/// <summary>
/// The public data sets Latent knows by name:
/// <list type="bullet">
/// <item><c>digits</c>: the bundled 8×8 digits (1,797 images, always available). Split: every fifth image (row
/// index 4, 9, 14, …) is the test set (359 images), the other 1,438 are the training set.</item>
/// <item><c>mnist</c>, <c>fashion-mnist</c>: 28×28 images in the four published IDX files
/// (<c>train-images-idx3-ubyte.gz</c>, <c>train-labels-idx1-ubyte.gz</c>, <c>t10k-images-idx3-ubyte.gz</c>,
/// <c>t10k-labels-idx1-ubyte.gz</c>, gzip or not) in a sub-folder named like the data set.</item>
/// </list>
/// Folders are searched in order: the <c>dataDir</c> argument (the command line's --data-dir), the folder named by
/// the <c>LATENT_DATA</c> environment variable, then the per-user cache (<c>$XDG_CACHE_HOME/latent/data</c>, else
/// LocalApplicationData/latent/data). When the files are nowhere, they are downloaded into the cache and checked
/// against their published SHA-256, unless <c>LATENT_OFFLINE=1</c> is set.
/// </summary>
public static class Datasets
{
    /// <summary>The bundled digits' name.</summary>
    public const string DigitsName = "digits";

    /// <summary>The names <see cref="Load(string, Split, string?)"/> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } = [DigitsName, .. IdxDatasetInfo.All.Select(d => d.Name)];

    /// <summary>Whether <paramref name="name"/> is a known data set (case-insensitive).</summary>
    public static bool IsKnown(string name) => Names.Contains(name.Trim().ToLowerInvariant());

    /// <summary>Loads one split of the data set <paramref name="name"/>: pixels in [0, 1], one row per image, with labels.</summary>
    /// <exception cref="ArgumentException">The name is unknown; the message lists the known ones.</exception>
    /// <exception cref="FileNotFoundException">The files are in no searched folder and could not be downloaded; the
    /// message says which files to put into which folder.</exception>
    /// <exception cref="InvalidDataException">A file is corrupt.</exception>
    public static Dataset Load(string name, Split split, string? dataDir = null) => Load(name, split, DataFolders.FromEnvironment(dataDir));

    /// <summary>Where each known data set is, for <c>latent datasets</c>.</summary>
    public static IReadOnlyList<DatasetStatus> Describe(string? dataDir = null) => Describe(DataFolders.FromEnvironment(dataDir));

    internal static IReadOnlyList<DatasetStatus> Describe(DataFolders folders)
    {
        var statuses = new List<DatasetStatus>
        {
            new(DigitsName, "scikit-learn's 8x8 handwritten digits, 1,797 images (1,438 train / 359 test), labels 0-9", [], [], "(bundled)"),
        };
        foreach (IdxDatasetInfo info in IdxDatasetInfo.All)
        {
            string[] searched = [.. folders.Search.Select(f => $"{Path.Combine(f.Path, info.Name)} ({f.Origin})")];
            string? found = folders.Search.Select(f => Path.Combine(f.Path, info.Name))
                .FirstOrDefault(dir => new[] { Split.Train, Split.Test }.All(s => FindSplit(dir, s) is not null));
            statuses.Add(new DatasetStatus(info.Name, info.Description, [.. IdxDatasetInfo.PublishedFiles], searched, found));
        }
        return statuses;
    }

    internal static Dataset Load(string name, Split split, DataFolders folders)
    {
        ArgumentNullException.ThrowIfNull(name);
        string key = name.Trim().ToLowerInvariant();
        if (key == DigitsName) return LoadDigits(split);
        IdxDatasetInfo info = IdxDatasetInfo.All.FirstOrDefault(d => d.Name == key)
            ?? throw new ArgumentException($"Unknown data set '{name}'; the known ones are {string.Join(", ", Names)}.", nameof(name));

        foreach (var (folder, _) in folders.Search)
            if (FindSplit(Path.Combine(folder, info.Name), split) is { } files) return LoadIdx(info, split, files);

        string? downloadProblem = folders.AllowDownload ? TryDownload(info, split, folders.Cache!) : null;
        if (downloadProblem is null && folders.AllowDownload && FindSplit(Path.Combine(folders.Cache!, info.Name), split) is { } fetched)
            return LoadIdx(info, split, fetched);
        throw NotFound(info, split, folders, downloadProblem);
    }

    private static Dataset LoadDigits(Split split)
    {
        var (pixels, labels) = Digits.Load();
        int[] rows = [.. Enumerable.Range(0, labels.Length).Where(r => (r % 5 == 4) == (split == Split.Test))];
        var features = new float[rows.Length * Digits.Pixels];
        for (int i = 0; i < rows.Length; i++)
            pixels.AsSpan(rows[i] * Digits.Pixels, Digits.Pixels).CopyTo(features.AsSpan(i * Digits.Pixels));
        return new Dataset(DigitsName, Tensor.FromArray(features, rows.Length, Digits.Pixels),
            [.. rows.Select(r => labels[r])], new ImageShape(1, Digits.Side, Digits.Side));
    }

    private static Dataset LoadIdx(IdxDatasetInfo info, Split split, (string Images, string Labels) files)
    {
        IdxImages images = IdxFile.ReadImages(files.Images);
        int[] labels = IdxFile.ReadLabels(files.Labels);
        if (images.Height != info.Image.Height || images.Width != info.Image.Width)
            throw new InvalidDataException($"The file '{files.Images}' holds {images.Height}x{images.Width} images, but {info.Name} images are {info.Image.Height}x{info.Image.Width}.");
        if (labels.Length != images.Count)
            throw new InvalidDataException($"The file '{files.Labels}' holds {labels.Length} labels for the {images.Count} images of '{files.Images}'.");
        return new Dataset(info.Name, images.Pixels, labels, info.Image);
    }

    /// <summary>The images and labels files of a split in <paramref name="folder"/>, or null unless both are there.</summary>
    private static (string Images, string Labels)? FindSplit(string folder, Split split)
    {
        var (images, labels) = IdxDatasetInfo.Files(split);
        return IdxDatasetInfo.Locate(folder, images) is { } i && IdxDatasetInfo.Locate(folder, labels) is { } l ? (i, l) : null;
    }

    /// <summary>Downloads the split's missing files into the cache; returns null on success, else why it failed.</summary>
    private static string? TryDownload(IdxDatasetInfo info, Split split, string cache)
    {
        string folder = Path.Combine(cache, info.Name);
        var (images, labels) = IdxDatasetInfo.Files(split);
        foreach (string file in new[] { images, labels })
        {
            if (IdxDatasetInfo.Locate(folder, file) is not null) continue;
            string published = file + ".gz", problem = "";
            bool done = false;
            foreach (string baseUrl in info.BaseUrls)
            {
                try
                {
                    VerifiedDownload.Fetch(new Uri(baseUrl + published), Path.Combine(folder, published), info.Sha256[published]);
                    done = true;
                    break;
                }
                catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException or UnauthorizedAccessException)
                {
                    if (problem.Length == 0) problem = $"downloading {baseUrl + published} failed ({e.Message.TrimEnd('.')})";
                }
            }
            if (!done) return problem;
        }
        return null;
    }

    private static FileNotFoundException NotFound(IdxDatasetInfo info, Split split, DataFolders folders, string? downloadProblem)
    {
        var (images, labels) = IdxDatasetInfo.Files(split);
        string target = folders.Search.Count > 0 ? Path.Combine(folders.Search[0].Path, info.Name) : Path.Combine("<data folder>", info.Name);
        string searched = folders.Search.Count > 0 ? string.Join(", ", folders.Search.Select(f => $"'{Path.Combine(f.Path, info.Name)}'")) : "none";
        string download = downloadProblem is not null ? $"; {downloadProblem}"
            : folders.AllowDownload ? ""
            : $"; downloading is off ({DataFolders.OfflineVariable} is set, or there is no user cache folder)";
        return new FileNotFoundException(
            $"The {info.Name} {split.ToString().ToLowerInvariant()} files were not found: put {images}.gz and {labels}.gz (gzip or uncompressed) " +
            $"into the folder '{target}', or name a folder that holds a '{info.Name}' sub-folder with them by --data-dir or the " +
            $"{DataFolders.DataVariable} environment variable (searched {searched}){download}.",
            Path.Combine(target, images + ".gz"));
    }
}
