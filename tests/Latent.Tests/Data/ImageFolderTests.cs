using Latent.Data;
using Latent.Imaging;

namespace Latent.Tests.Data;

public class ImageFolderTests
{
    [Fact]
    public void SubFoldersAreClassesAndImagesBecomeChannelFirstRows()
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(folder.File("cat"));
        Directory.CreateDirectory(folder.File("dog"));
        Directory.CreateDirectory(folder.File("empty"));
        PngWriter.Write(folder.File("dog/b.png"), new byte[] { 0, 255, 51, 102 }, 2, 2, PngColor.Gray);
        PngWriter.Write(folder.File("dog/a.PNG"), new byte[] { 255, 255, 255, 255 }, 2, 2, PngColor.Gray);
        PngWriter.Write(folder.File("cat/c.png"), new byte[] { 0, 0, 0, 0 }, 2, 2, PngColor.Gray);
        File.WriteAllText(folder.File("cat/notes.txt"), "not an image");

        ImageFolderData data = ImageFolder.Load(folder.Path);
        Assert.Equal(["cat", "dog"], data.Classes);
        Assert.Equal([0, 1, 1], data.Dataset.Labels!);
        Assert.EndsWith("a.PNG", data.Files[1]);
        Assert.Equal(ImageShape.Gray(2, 2), data.Dataset.Image);
        Assert.Equal([0f, 1f, 0.2f, 0.4f], data.Dataset.Features.ToArray()[8..]);
    }

    [Fact]
    public void ColourBecomesGrayOrGrayBecomesColourAndSizesAreUnified()
    {
        using var folder = new TempFolder();
        PngWriter.Write(folder.File("red.png"), new byte[] { 255, 0, 0, 255, 0, 0 }, 2, 1, PngColor.Rgb);
        PngWriter.Write(folder.File("gray.png"), new byte[] { 128, 128, 128, 128 }, 4, 1, PngColor.Gray);

        var sized = ImageFolder.Load(folder.Path, new ImageFolderOptions { Size = (1, 2) });
        Assert.Null(sized.Dataset.Labels);                       // no sub-folders: unlabelled
        Assert.Equal(ImageShape.Rgb(1, 2), sized.Dataset.Image);   // one colour image: all RGB
        Assert.Equal([128 / 255f, 128 / 255f, 128 / 255f, 128 / 255f, 128 / 255f, 128 / 255f], sized.Dataset.Features.ToArray()[..6]);
        Assert.Equal([1f, 1f, 0f, 0f, 0f, 0f], sized.Dataset.Features.ToArray()[6..]);

        var gray = ImageFolder.Load(folder.Path, new ImageFolderOptions { Size = (1, 2), Channels = 1 });
        Assert.Equal(0.299f, gray.Dataset.Features.At(1, 0), 5);

        var e = Assert.Throws<InvalidDataException>(() => ImageFolder.Load(folder.Path));
        Assert.Contains("4×1", e.Message);
        Assert.Contains("2×1", e.Message);
    }

    [Fact]
    public void BadFoldersAndFilesAreReportedByName()
    {
        using var folder = new TempFolder();
        Assert.Throws<DirectoryNotFoundException>(() => ImageFolder.Load(folder.File("missing")));
        Assert.Contains("no .png files", Assert.Throws<InvalidDataException>(() => ImageFolder.Load(folder.Path)).Message);
        File.WriteAllBytes(folder.File("broken.png"), [137, 80, 78, 71]);
        Assert.Contains("broken.png", Assert.Throws<InvalidDataException>(() => ImageFolder.Load(folder.Path)).Message);
        Assert.Throws<ArgumentException>(() => ImageFolder.Load(folder.Path, new ImageFolderOptions { Channels = 2 }));
    }
}
