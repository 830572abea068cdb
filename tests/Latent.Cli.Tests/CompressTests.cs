using System.Text.Json;
using Latent.Imaging;

namespace Latent.Cli.Tests;

/// <summary>compress fit, compress, decompress and compress evaluate on small images, and the bad input they refuse.</summary>
public sealed class CompressTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "latent-cli-tests", Guid.NewGuid().ToString("N"));

    public CompressTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string File(string name) => Path.Combine(_dir, name);

    /// <summary>Smooth RGB images of odd sizes in a folder.</summary>
    private string Images()
    {
        string folder = File("images");
        Directory.CreateDirectory(folder);
        for (int i = 0; i < 3; i++)
        {
            int width = 37 + 10 * i, height = 29;
            var pixels = new byte[width * height * 3];
            for (int y = 0; y < height; y++)
                for (int x = 0; x < width; x++)
                    for (int c = 0; c < 3; c++) pixels[(y * width + x) * 3 + c] = (byte)(128 + 100 * Math.Sin((x * (c + 1) + y * (i + 2)) * 0.08));
            PngWriter.Write(Path.Combine(folder, $"img{i}.png"), pixels, width, height, PngColor.Rgb);
        }
        return folder;
    }

    [Fact]
    public void FitCompressDecompressAndEvaluate()
    {
        string images = Images(), codec = File("codec.safetensors");
        CliResult fit = CliRunner.Run(_dir, "compress", "fit", "--data", images, "--out", codec, "--lambdas", "0.005,0.05", "--epochs", "2",
            "--fine-tune-epochs", "1", "--crop-size", "64", "--filters", "8,8", "--json");
        Assert.True(fit.ExitCode == 0, fit.Stderr);

        string image = Path.Combine(images, "img1.png");
        CliResult compress = CliRunner.Run(_dir, "compress", "--data", image, "--model", codec, "--out", File("x.lat"), "--quality", "2", "--json");
        Assert.True(compress.ExitCode == 0, compress.Stderr);
        using (JsonDocument json = JsonDocument.Parse(compress.Stdout))
            Assert.Equal(new FileInfo(File("x.lat")).Length, json.RootElement.GetProperty("bytes").GetInt64());

        CliResult decompress = CliRunner.Run(_dir, "decompress", "--data", File("x.lat"), "--model", codec, "--out", File("y.png"));
        Assert.True(decompress.ExitCode == 0, decompress.Stderr);
        PngImage back = PngReader.Read(File("y.png"));
        Assert.Equal((47, 29, PngColorType.Rgb), (back.Width, back.Height, back.ColorType));

        CliResult evaluate = CliRunner.Run(_dir, "compress", "evaluate", "--model", codec, "--data", images, "--json");
        Assert.True(evaluate.ExitCode == 0, evaluate.Stderr);
        using (JsonDocument json = JsonDocument.Parse(evaluate.Stdout))
        {
            JsonElement qualities = json.RootElement.GetProperty("qualities");
            Assert.Equal(2, qualities.GetArrayLength());
            Assert.All(qualities.EnumerateArray(), q => Assert.True(q.GetProperty("bpp").GetDouble() > 0 && q.GetProperty("psnr_db").GetDouble() > 0));
        }

        // Bad input: one clear sentence, no output file.
        System.IO.File.WriteAllBytes(File("bad.lat"), [.. System.IO.File.ReadAllBytes(File("x.lat")).Take(20)]);
        CliRunner.AssertCleanFailure(CliRunner.Run(_dir, "decompress", "--data", File("bad.lat"), "--model", codec, "--out", File("z.png")), "is truncated");
        Assert.False(System.IO.File.Exists(File("z.png")));
        System.IO.File.WriteAllBytes(File("foreign.lat"), "not a compressed image"u8.ToArray());
        CliRunner.AssertCleanFailure(CliRunner.Run(_dir, "decompress", "--data", File("foreign.lat"), "--model", codec, "--out", File("z.png")),
            "is not a Latent compressed image (.lat).");
        CliResult badQuality = CliRunner.Run(_dir, "compress", "--data", image, "--model", codec, "--out", File("q.lat"), "--quality", "5");
        CliRunner.AssertCleanFailure(badQuality, "The quality must be between 1 and 2 for this codec, not 5.");
        Assert.Equal(1, badQuality.ExitCode);
        Assert.False(System.IO.File.Exists(File("q.lat")));
    }
}
