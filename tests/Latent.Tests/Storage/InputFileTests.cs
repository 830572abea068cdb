using Latent.Data;
using Latent.Models;
using Latent.Storage;

namespace Latent.Tests.Storage;

/// <summary>A file to read that is missing is reported missing; a folder in its place is called a folder.</summary>
public class InputFileTests
{
    [Fact]
    public void AFolderIsNamedAsAFolderAndAMissingFileAsMissing()
    {
        using var folder = new TempFolder();
        Assert.Equal($"'{folder.Path}' is a folder, not a model file.", Assert.Throws<FileNotFoundException>(() => ModelFile.Open(folder.Path)).Message);
        Assert.Equal($"'{folder.Path}' is a folder, not a file.", Assert.Throws<FileNotFoundException>(() => CsvTable.Read(folder.Path)).Message);
        Assert.Equal($"'{folder.Path}' is a folder, not an index file.", Assert.Throws<FileNotFoundException>(() => InputFile.Check(folder.Path, "index file")).Message);
        string missing = folder.File("none.safetensors");
        Assert.Equal($"The model file '{missing}' does not exist.", Assert.Throws<FileNotFoundException>(() => ModelFile.Open(missing)).Message);
    }
}
