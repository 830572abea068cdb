using Latent.Imaging;

namespace Latent.Cli.Verbs;

/// <summary>A PNG file as one row for a model trained on images of <c>target</c>'s shape: colour to gray or back, alpha dropped, resized.</summary>
internal static class ImageQuery
{
    public static float[] Load(string path, ImageShape target)
    {
        PngImage image = PngReader.Read(path);
        float[] values = image.ToFloats(out ImageShape shape);
        int pixels = shape.Height * shape.Width;
        int colours = shape.Channels >= 3 ? 3 : 1;   // alpha (the 2nd or 4th channel) is dropped
        values = values[..(colours * pixels)];
        if (target.Channels == 1 && colours == 3)
        {
            var gray = new float[pixels];
            ColorSpaces.RgbToGray(values, gray, pixels);
            values = gray;
        }
        else if (target.Channels == 3 && colours == 1)
        {
            values = [.. values, .. values, .. values];
        }
        else if (target.Channels != colours)
        {
            throw new InvalidDataException($"The model takes images of {target.Channels} channels, which '{path}' cannot be turned into.");
        }
        shape = new ImageShape(target.Channels, shape.Height, shape.Width);
        return shape.Height == target.Height && shape.Width == target.Width ? values : ImageResize.Resize(values, shape, target.Height, target.Width);
    }

    /// <summary>Every PNG under <paramref name="folder"/> (sorted by path), each with its path relative to the folder.</summary>
    public static string[] Files(string folder) =>
        [.. Directory.EnumerateFiles(folder, "*.png", new EnumerationOptions { RecurseSubdirectories = true, MatchCasing = MatchCasing.CaseInsensitive })
            .Select(f => Path.GetRelativePath(folder, f)).Order(StringComparer.Ordinal)];
}
