using Latent.Imaging;
namespace Latent.Data;

/// <summary>
/// A data set published as the four MNIST-style IDX files, with where to download them and their SHA-256 (of the
/// gzip files as published; see ../shared/data/SOURCES.md).
/// </summary>
internal sealed record IdxDatasetInfo(string Name, string Description, ImageShape Image, string[] BaseUrls, IReadOnlyDictionary<string, string> Sha256)
{
    public static IdxDatasetInfo Mnist { get; } = new(
        "mnist", "MNIST handwritten digits, 28x28 grayscale, 60,000 train / 10,000 test, labels 0-9",
        new ImageShape(1, 28, 28),
        ["https://ossci-datasets.s3.amazonaws.com/mnist/", "https://storage.googleapis.com/cvdf-datasets/mnist/"],
        new Dictionary<string, string>
        {
            ["train-images-idx3-ubyte.gz"] = "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
            ["train-labels-idx1-ubyte.gz"] = "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
            ["t10k-images-idx3-ubyte.gz"] = "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
            ["t10k-labels-idx1-ubyte.gz"] = "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
        });

    public static IdxDatasetInfo FashionMnist { get; } = new(
        "fashion-mnist", "Zalando Fashion-MNIST clothing images, 28x28 grayscale, 60,000 train / 10,000 test, labels 0-9",
        new ImageShape(1, 28, 28),
        ["https://github.com/zalandoresearch/fashion-mnist/raw/master/data/fashion/", "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"],
        new Dictionary<string, string>
        {
            ["train-images-idx3-ubyte.gz"] = "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84",
            ["train-labels-idx1-ubyte.gz"] = "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845",
            ["t10k-images-idx3-ubyte.gz"] = "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073",
            ["t10k-labels-idx1-ubyte.gz"] = "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5",
        });

    public static IReadOnlyList<IdxDatasetInfo> All { get; } = [Mnist, FashionMnist];

    /// <summary>The images and labels file names of a split, without the ".gz" that the published files carry.</summary>
    public static (string Images, string Labels) Files(Split split) => split == Split.Train
        ? ("train-images-idx3-ubyte", "train-labels-idx1-ubyte")
        : ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");

    /// <summary>All four file names, as published (gzip).</summary>
    public static IEnumerable<string> PublishedFiles =>
        [.. new[] { Split.Train, Split.Test }.SelectMany(s => new[] { Files(s).Images + ".gz", Files(s).Labels + ".gz" })];

    /// <summary>The path of <paramref name="file"/> (a name without ".gz") in <paramref name="folder"/>, gzip or raw, or null.</summary>
    public static string? Locate(string folder, string file)
    {
        string gz = Path.Combine(folder, file + ".gz"), raw = Path.Combine(folder, file);
        return File.Exists(gz) ? gz : File.Exists(raw) ? raw : null;
    }
}
