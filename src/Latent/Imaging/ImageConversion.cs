namespace Latent.Imaging;

/// <summary>
/// Fits a PNG image to the image shape a model takes. An image of another size or colour is refused unless the caller
/// allows converting it: then it is resized (bilinear) and its colour changed (colour to gray by BT.601 luma, gray to
/// colour by repeating its plane). Alpha is dropped either way. A model never silently sees an image it was not made for.
/// </summary>
/// <example>
/// <code>
/// float[] pixels = ImageConversion.Fit(PngReader.Read("photo.png"), ImageShape.Gray(28, 28), "photo.png", convert: true, out bool converted);
/// </code>
/// </example>
public static class ImageConversion
{
    /// <summary>The shape of <paramref name="image"/> as a model input: 1 channel when gray (alpha aside), 3 when colour.</summary>
    public static ImageShape ShapeOf(PngImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return new ImageShape(image.Channels <= 2 ? 1 : 3, image.Height, image.Width);
    }

    /// <summary>A shape as messages describe it: "768×512 colour", "28×28 gray".</summary>
    public static string Describe(ImageShape shape) =>
        $"{shape.Width}×{shape.Height} {shape.Channels switch { 1 => "gray", 3 => "colour", int n => $"{n}-channel" }}";

    /// <summary>The image as channel-first floats in [0, 1] of <paramref name="target"/>'s shape.</summary>
    /// <param name="image">The image.</param>
    /// <param name="target">The shape the model takes (1 or 3 channels).</param>
    /// <param name="name">The image as messages name it (its file).</param>
    /// <param name="convert">Whether an image of another size or colour may be converted; when false it is refused.</param>
    /// <param name="converted">Whether the image was converted.</param>
    /// <exception cref="InvalidDataException">The image differs from <paramref name="target"/> and <paramref name="convert"/> is false
    /// (the message names both shapes), or <paramref name="target"/> has neither 1 nor 3 channels.</exception>
    public static float[] Fit(PngImage image, ImageShape target, string name, bool convert, out bool converted)
    {
        ImageShape own = ShapeOf(image);
        if (target.Channels is not (1 or 3))
            throw new InvalidDataException($"The model takes images of {target.Channels} channels, which '{name}' cannot be turned into.");
        converted = own != target;
        if (converted && !convert)
            throw new InvalidDataException(
                $"'{name}' is a {Describe(own)} image but the model takes {Describe(target)} images; give one of that size and colour, or allow converting it (--resize).");
        float[] values = image.ToFloats(target.Channels);
        ImageShape read = own with { Channels = target.Channels };
        return read == target ? values : ImageResize.Resize(values, read, target.Height, target.Width);
    }
}
