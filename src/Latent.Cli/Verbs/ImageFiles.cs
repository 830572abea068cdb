using Latent.Data;
using Latent.Cli.Terminal;
using Latent.Imaging;

namespace Latent.Cli.Verbs;

/// <summary>PNG files in and out for the image verbs (denoise, noise): one file, or every PNG of a folder.</summary>
internal static class ImageFiles
{
    /// <summary>Whether --data names PNG images (a .png file or a folder) rather than a data set or an IDX file; a data set name wins.</summary>
    public static bool ArePng(string data) =>
        !Datasets.IsKnown(data) && (Directory.Exists(data) || data.EndsWith(".png", StringComparison.OrdinalIgnoreCase));

    /// <summary>The PNG files named by <paramref name="input"/>: the file itself, or the folder's *.png in name order.</summary>
    public static IReadOnlyList<string> List(string input)
    {
        if (File.Exists(input)) return [input];
        if (!Directory.Exists(input)) throw new FileNotFoundException($"There is no file or folder '{input}'.");
        string[] files = [.. Directory.EnumerateFiles(input).Where(f => f.EndsWith(".png", StringComparison.OrdinalIgnoreCase)).Order(StringComparer.Ordinal)];
        return files.Length > 0 ? files : throw new InvalidDataException($"The folder '{input}' has no .png files.");
    }

    /// <summary>
    /// Claims the output (<see cref="OutputFile"/>) and says where each image goes: for a folder input, into the folder
    /// <paramref name="output"/> (created if missing) under the same names, else the file <paramref name="output"/> itself;
    /// both staged until committed.
    /// </summary>
    public static IReadOnlyList<string> Targets(string input, IReadOnlyList<string> files, string output, string option, bool force,
        params (string Option, string? Path)[] inputs)
    {
        if (!Directory.Exists(input)) return [OutputFile.File(output, option, force, inputs).Staging];
        OutputFile folder = OutputFile.Folder(output, option, force, inputs);
        return [.. files.Select(f => Path.Combine(folder.Staging, Path.GetFileName(f)))];
    }

    /// <summary>Reads a PNG as channel-first floats with 1 (gray) or 3 (RGB) channels; alpha is dropped.</summary>
    public static float[] Read(string path, int channels, out ImageShape shape)
    {
        PngImage image = PngReader.Read(path);
        shape = new ImageShape(channels, image.Height, image.Width);
        return image.ToFloats(channels);
    }

    /// <summary>Writes channel-first floats in [0, 1] (clamped) as an 8-bit gray or RGB PNG.</summary>
    public static void Write(string path, ReadOnlySpan<float> image, ImageShape shape)
    {
        int plane = shape.Height * shape.Width;
        var interleaved = new float[image.Length];
        for (int c = 0; c < shape.Channels; c++)
            for (int p = 0; p < plane; p++) interleaved[p * shape.Channels + c] = image[c * plane + p];
        PngWriter.Write(path, interleaved, shape.Width, shape.Height, shape.Channels == 1 ? PngColor.Gray : PngColor.Rgb);
    }
}
