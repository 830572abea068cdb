using Latent.Engine;
using Latent.Imaging;

namespace Latent.Data;

/// <summary>Options for <see cref="ImageFolder.Load"/>.</summary>
public sealed record ImageFolderOptions
{
    /// <summary>
    /// Size every image is resized to (bilinear, antialiased); null (default) keeps the size of the first image and then
    /// requires every image to have it.
    /// </summary>
    public (int Height, int Width)? Size { get; init; }

    /// <summary>
    /// 1 (gray: colour images become BT.601 luma) or 3 (RGB: gray images are repeated into three planes); null (default)
    /// is 1 when every image is gray (with or without alpha) and 3 otherwise. Alpha is dropped.
    /// </summary>
    public int? Channels { get; init; }

    /// <summary>Read at most this many images per class (in file-name order); null reads all.</summary>
    public int? LimitPerClass { get; init; }

    /// <summary>Limits for each file; see <see cref="PngReadOptions"/>.</summary>
    public PngReadOptions? Png { get; init; }
}

/// <summary>What <see cref="ImageFolder.Load"/> read: the rows, the class names (label i is Classes[i]) and each row's file.</summary>
public sealed record ImageFolderData(Dataset Dataset, IReadOnlyList<string> Classes, IReadOnlyList<string> Files);

/// <summary>
/// A data set of PNG images from a folder: each sub-folder is a class whose name is the label (sorted by name, label 0
/// first); a folder with PNG files and no sub-folders gives unlabelled rows. Each image becomes one row of
/// channels × height × width floats in [0, 1], channel-first (<see cref="Dataset.Image"/> gives the shape).
/// </summary>
/// <example>
/// <code>
/// // photos/cat/*.png, photos/dog/*.png
/// ImageFolderData data = ImageFolder.Load("photos", new ImageFolderOptions { Size = (64, 64), Channels = 3 });
/// int label = data.Dataset.Labels![0];   // 0 = "cat"
/// </code>
/// </example>
public static class ImageFolder
{
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="InvalidDataException">The folder has no PNG files, an image is broken (the message names it), or sizes differ without <see cref="ImageFolderOptions.Size"/>.</exception>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public static ImageFolderData Load(string folder, ImageFolderOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        options ??= new ImageFolderOptions();
        if (options.Channels is { } ch && ch is not (1 or 3)) throw new ArgumentException($"Channels must be 1 or 3; got {ch}.", nameof(options));
        if (options.Size is { } sz && (sz.Height <= 0 || sz.Width <= 0)) throw new ArgumentException($"Size must be positive; got {sz.Height}×{sz.Width}.", nameof(options));
        if (options.LimitPerClass is <= 0) throw new ArgumentException($"LimitPerClass must be positive; got {options.LimitPerClass}.", nameof(options));
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"The image folder '{folder}' does not exist.");

        var (classes, files, labels) = List(folder, options.LimitPerClass);
        if (files.Count == 0) throw new InvalidDataException($"The folder '{folder}' has no .png files (directly or in class sub-folders).");

        int channels = options.Channels ?? (files.All(f => PeekColorType(f) is PngColorType.Gray or PngColorType.GrayAlpha) ? 1 : 3);
        (int Height, int Width)? size = options.Size;
        Tensor? features = null;
        ImageShape shape = default;
        for (int i = 0; i < files.Count; i++)
        {
            PngImage image = PngReader.Read(files[i], options.Png);
            if (features is null)
            {
                var (height, width) = size ?? (image.Height, image.Width);
                shape = new ImageShape(channels, height, width);
                features = Tensor.Zeros(files.Count, shape.Size);
            }
            if (size is null && (image.Height != shape.Height || image.Width != shape.Width))
                throw new InvalidDataException(
                    $"{files[i]} is {image.Width}×{image.Height} but {files[0]} is {shape.Width}×{shape.Height}; set a size to resize them all.");
            float[] pixels = image.ToFloats(channels);
            if (image.Height != shape.Height || image.Width != shape.Width)
                pixels = ImageResize.Resize(pixels, new ImageShape(channels, image.Height, image.Width), shape.Height, shape.Width);
            pixels.CopyTo(features.Span.Slice(i * shape.Size, shape.Size));
        }
        string name = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder)));
        var dataset = new Dataset(name, features!, classes.Count > 0 ? labels.ToArray() : null, shape);
        return new ImageFolderData(dataset, classes, files);
    }

    /// <summary>Class folders in ordinal name order with their PNG files in name order, or the root's files when it has no sub-folders.</summary>
    private static (List<string> Classes, List<string> Files, List<int> Labels) List(string folder, int? limit)
    {
        static IEnumerable<string> Pngs(string dir, int? limit)
        {
            IEnumerable<string> found = Directory.EnumerateFiles(dir)
                .Where(f => f.EndsWith(".png", StringComparison.OrdinalIgnoreCase)).Order(StringComparer.Ordinal);
            return limit is { } n ? found.Take(n) : found;
        }

        var classes = new List<string>();
        var files = new List<string>();
        var labels = new List<int>();
        string[] subfolders = [.. Directory.EnumerateDirectories(folder).Order(StringComparer.Ordinal)];
        foreach (string sub in subfolders)
        {
            string[] pngs = [.. Pngs(sub, limit)];
            if (pngs.Length == 0) continue;
            foreach (string file in pngs)
            {
                files.Add(file);
                labels.Add(classes.Count);
            }
            classes.Add(Path.GetFileName(sub));
        }
        if (files.Count == 0) files.AddRange(Pngs(folder, null));
        return (classes, files, labels);
    }

    /// <summary>The colour type in a PNG file's header (bytes 8–25), without decoding it; null when the start is not a PNG header.</summary>
    private static PngColorType? PeekColorType(string path)
    {
        Span<byte> start = stackalloc byte[26];
        using (FileStream stream = File.OpenRead(path))
            if (stream.ReadAtLeast(start, start.Length, throwOnEndOfStream: false) < start.Length) return null;
        bool png = start[..8].SequenceEqual(PngWriter.Signature) && start.Slice(12, 4).SequenceEqual("IHDR"u8);
        return png ? (PngColorType)start[25] : null;
    }
}
