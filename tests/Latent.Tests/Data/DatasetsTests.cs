using Latent.Imaging;
using System.Security.Cryptography;
using Latent.Data;

namespace Latent.Tests.Data;

public class DatasetsTests
{
    /// <summary>Only the given folder, never a download: what tests use instead of the environment.</summary>
    private static DataFolders Offline(params string[] folders) => new([.. folders.Select(f => (f, "test"))], null, AllowDownload: false);

    [Fact]
    public void DigitsSplitsTheBundledSetDeterministically()
    {
        Dataset train = Datasets.Load("digits", Split.Train), test = Datasets.Load("Digits", Split.Test);
        var (pixels, labels) = Digits.Load();

        Assert.Equal(1797, train.Rows + test.Rows);
        Assert.Equal((1438, 359), (train.Rows, test.Rows));
        Assert.Equal((64, 64), (train.Columns, test.Columns));
        Assert.Equal(new ImageShape(1, 8, 8), train.Image);
        Assert.Equal(Enumerable.Range(0, 10), train.Labels!.Concat(test.Labels!).Distinct().Order());
        Assert.Equal(pixels.AsSpan(4 * 64, 64).ToArray(), test.Features.ToArray()[..64]);   // every fifth row is a test row
        Assert.Equal(labels[4], test.Labels![0]);
        Assert.Equal(pixels.AsSpan(5 * 64, 64).ToArray(), train.Features.ToArray()[(4 * 64)..(5 * 64)]);
    }

    [Fact]
    public void AModelOfAnotherWidthIsRefusedNamingBothWidths()
    {
        Dataset digits = Datasets.Load("digits", Split.Test);
        digits.CheckWidth(64);
        Assert.Equal("The model expects rows of 784 values but digits has 64.", Assert.Throws<ArgumentException>(() => digits.CheckWidth(784)).Message);
    }

    [SkippableFact]
    public void MnistLoadsFromTheSharedData()
    {
        string folder = SharedData.Require("mnist");
        Dataset train = Datasets.Load("mnist", Split.Train, folder);
        Dataset test = Datasets.Load("mnist", Split.Test, folder);

        Assert.Equal([60000, 784], train.Features.Shape);
        Assert.Equal([10000, 784], test.Features.Shape);
        Assert.Equal(new ImageShape(1, 28, 28), train.Image);
        Assert.Equal([5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949], CountPerClass(train.Labels!));
        Assert.Equal([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009], CountPerClass(test.Labels!));
        float min = float.MaxValue, max = float.MinValue;
        foreach (float v in train.Features.Span) { min = Math.Min(min, v); max = Math.Max(max, v); }
        Assert.Equal((0f, 1f), (min, max));
    }

    [SkippableFact]
    public void FashionMnistTestSplitLoads()
    {
        Dataset test = Datasets.Load("fashion-mnist", Split.Test, SharedData.Require("fashion-mnist"));
        Assert.Equal([10000, 784], test.Features.Shape);
        Assert.All(CountPerClass(test.Labels!), n => Assert.Equal(1000, n));
    }

    private static int[] CountPerClass(int[] labels) => [.. Enumerable.Range(0, 10).Select(c => labels.Count(l => l == c))];

    [Fact]
    public void FilesAreFoundRawOrGzipInTheNamedSubFolder()
    {
        using var dir = new TempFolder();
        string mnist = Directory.CreateDirectory(Path.Combine(dir.Path, "mnist")).FullName;
        IdxTestFiles.WriteImages(Path.Combine(mnist, "t10k-images-idx3-ubyte"), 3, 28, 28, gzip: false);
        IdxTestFiles.WriteLabels(Path.Combine(mnist, "t10k-labels-idx1-ubyte.gz"), [7, 2, 1]);

        Dataset test = Datasets.Load("mnist", Split.Test, Offline(dir.Path));

        Assert.Equal([3, 784], test.Features.Shape);
        Assert.Equal([7, 2, 1], test.Labels!);
        Assert.Equal(7 / 255f, test.Features.At(1, 0), 6);
    }

    [Fact]
    public void AMissingDataSetSaysWhichFilesToPutWhere()
    {
        using var empty = new TempFolder();
        string expectedFolder = Path.Combine(empty.Path, "fashion-mnist");

        var e = Assert.Throws<FileNotFoundException>(() => Datasets.Load("fashion-mnist", Split.Train, Offline(empty.Path)));

        Assert.Contains("put train-images-idx3-ubyte.gz and train-labels-idx1-ubyte.gz", e.Message);
        Assert.Contains($"into the folder '{expectedFolder}'", e.Message);
        Assert.Contains("--data-dir or the LATENT_DATA environment variable", e.Message);
        Assert.Contains("LATENT_OFFLINE", e.Message);
        Assert.Equal(Path.Combine(expectedFolder, "train-images-idx3-ubyte.gz"), e.FileName);
    }

    [Fact]
    public void HalfADataSetIsNotEnough()
    {
        using var dir = new TempFolder();
        string mnist = Directory.CreateDirectory(Path.Combine(dir.Path, "mnist")).FullName;
        IdxTestFiles.WriteImages(Path.Combine(mnist, "train-images-idx3-ubyte.gz"), 2, 28, 28);
        Assert.Throws<FileNotFoundException>(() => Datasets.Load("mnist", Split.Train, Offline(dir.Path)));
    }

    [Fact]
    public void MismatchedImagesAndLabelsAreReported()
    {
        using var dir = new TempFolder();
        string mnist = Directory.CreateDirectory(Path.Combine(dir.Path, "mnist")).FullName;
        IdxTestFiles.WriteImages(Path.Combine(mnist, "t10k-images-idx3-ubyte.gz"), 3, 28, 28);
        IdxTestFiles.WriteLabels(Path.Combine(mnist, "t10k-labels-idx1-ubyte.gz"), [1, 2]);
        Assert.Contains("holds 2 labels for the 3 images", Assert.Throws<InvalidDataException>(() => Datasets.Load("mnist", Split.Test, Offline(dir.Path))).Message);
    }

    [Fact]
    public void AnUnknownNameListsTheKnownOnes()
    {
        var e = Assert.Throws<ArgumentException>(() => Datasets.Load("cifar-100", Split.Train));
        Assert.Contains("Unknown data set 'cifar-100'; the known ones are digits, mnist, fashion-mnist.", e.Message);
    }

    [Fact]
    public void DescribeTellsWhereEachSetIs()
    {
        using var empty = new TempFolder();
        using var data = new TempFolder();
        Directory.CreateDirectory(Path.Combine(data.Path, "mnist"));
        foreach (string file in IdxDatasetInfo.PublishedFiles) File.WriteAllBytes(Path.Combine(data.Path, "mnist", file), []);
        IReadOnlyList<DatasetStatus> statuses = Datasets.Describe(Offline(empty.Path, data.Path));

        Assert.Equal(Datasets.Names, statuses.Select(s => s.Name));
        Assert.True(statuses[0].Available);
        DatasetStatus mnist = statuses.Single(s => s.Name == "mnist");
        Assert.Equal(Path.Combine(data.Path, "mnist"), mnist.Folder);
        Assert.Equal(2, mnist.SearchedFolders.Count);
        Assert.Contains("train-images-idx3-ubyte.gz", mnist.Files);
        Assert.False(Datasets.Describe(Offline(empty.Path)).Single(s => s.Name == "mnist").Available);
    }

    [Fact]
    public void TheEnvironmentDecidesTheFoldersAndTheDataDirComesFirst()
    {
        string dataDir = Path.Combine(Path.GetTempPath(), "latent-some-dir");
        DataFolders folders = DataFolders.FromEnvironment(dataDir);
        Assert.Equal((dataDir, "--data-dir"), folders.Search[0]);
        if (folders.Cache is null) return;   // no per-user folder on this machine (no HOME)
        Assert.Equal(("user cache", folders.Cache), (folders.Search[^1].Origin, folders.Search[^1].Path));
        Assert.EndsWith(Path.Combine("latent", "data"), folders.Cache);
    }

    [Fact]
    public void ADownloadIsKeptOnlyWhenItsHashMatches()
    {
        using var dir = new TempFolder();
        byte[] content = "IDX bytes"u8.ToArray();
        string good = Convert.ToHexStringLower(SHA256.HashData(content)), target = Path.Combine(dir.Path, "sub", "file.gz");

        var e = Assert.Throws<InvalidDataException>(() => VerifiedDownload.Save(new MemoryStream(content), target, new string('0', 64), "https://example.org/file.gz"));
        Assert.Contains("https://example.org/file.gz", e.Message);
        Assert.False(File.Exists(target));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(target)!));

        VerifiedDownload.Save(new MemoryStream(content), target, good.ToUpperInvariant(), "test");
        Assert.Equal(content, File.ReadAllBytes(target));
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(target)!));
    }
}
