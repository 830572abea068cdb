using Latent.Data;
using Latent.Imaging;

namespace Latent.Applications.Segmentation;

/// <summary>
/// Masks as PNG files: one class id per pixel, stored as the pixel's gray value (or palette index), so that a mask made by
/// any labelling tool in that convention reads back as the ids it holds, and masks written here open as ids elsewhere.
/// </summary>
public static class MaskPng
{
    /// <summary>The class ids of a mask file (gray or palette PNG), row after row, and its size.</summary>
    /// <exception cref="InvalidDataException">The file is not a PNG, or is a colour PNG (its pixels are not class ids).</exception>
    public static int[] Read(string path, out int height, out int width)
    {
        PngImage png = PngReader.Read(path);
        if (png.ColorType is not (PngColorType.Gray or PngColorType.Palette))
            throw new InvalidDataException($"The mask {path} is a {png.ColorType} PNG; masks are gray (or palette) PNGs whose values are class ids.");
        (height, width) = (png.Height, png.Width);
        return [.. png.Samples.Select(s => (int)s)];
    }

    /// <summary>Writes class ids (0–255) as an 8-bit gray PNG, atomically.</summary>
    /// <exception cref="ArgumentException">The ids do not fill height × width, or one is outside 0–255.</exception>
    public static void Write(string path, ReadOnlySpan<int> ids, int height, int width)
    {
        if (ids.Length != (long)height * width) throw new ArgumentException($"A {height}×{width} mask has {(long)height * width} pixels, not {ids.Length}.");
        var bytes = new byte[ids.Length];
        for (int i = 0; i < ids.Length; i++)
            bytes[i] = ids[i] is >= 0 and <= 255 ? (byte)ids[i] : throw new ArgumentException($"Mask pixel {i} has the class {ids[i]}; a PNG mask holds 0 to 255.");
        PngWriter.Write(path, bytes, width, height, PngColor.Gray);
    }

    /// <summary>
    /// Images of a folder with their masks from another folder under the same file names (flat folders of PNGs): the
    /// images as rows (see <see cref="ImageFolder"/>; all of one size) and the masks' class ids, image after image.
    /// </summary>
    /// <exception cref="InvalidDataException">A mask is missing, not a gray PNG, or of another size than its image.</exception>
    public static (Dataset Images, int[] Masks) LoadPairs(string imagesFolder, string masksFolder, ImageFolderOptions? options = null)
    {
        ImageFolderData images = ImageFolder.Load(imagesFolder, options);
        if (images.Classes.Count > 0)
            throw new InvalidDataException($"The image folder '{imagesFolder}' has sub-folders; segmentation images sit directly in it, their masks in '{masksFolder}'.");
        ImageShape shape = images.Dataset.Image!.Value;
        int pixels = shape.Height * shape.Width;
        var masks = new int[images.Files.Count * pixels];
        for (int i = 0; i < images.Files.Count; i++)
        {
            string mask = Path.Combine(masksFolder, Path.GetFileName(images.Files[i]));
            if (!File.Exists(mask)) throw new InvalidDataException($"The image {images.Files[i]} has no mask {mask}.");
            int[] ids = Read(mask, out int h, out int w);
            if (h != shape.Height || w != shape.Width)
                throw new InvalidDataException($"The mask {mask} is {w}×{h} but the images are {shape.Width}×{shape.Height}.");
            ids.CopyTo(masks, i * pixels);
        }
        return (images.Dataset, masks);
    }
}
