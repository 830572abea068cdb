using System.Text.Json;
using Latent.Imaging;

namespace Latent.Cli.Tests;

/// <summary>train --kind conv with noise, noise and denoise on the bundled 8×8 digits, and the bad input they refuse.</summary>
public sealed class DenoiseTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "latent-cli-tests", Guid.NewGuid().ToString("N"));

    public DenoiseTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string File(string name) => Path.Combine(_dir, name);

    [Fact]
    public void TrainADenoiserMakeNoisyDigitsAndCleanThem()
    {
        string model = File("denoiser.safetensors");
        CliResult train = CliRunner.Run(_dir, "train", "--kind", "conv", "--data", "digits", "--noise", "gaussian", "--noise-level", "0.3",
            "--filters", "32,16", "--epochs", "20", "--batch-size", "64", "--learning-rate", "0.003", "--validation", "0", "--out", model, "--json");
        Assert.True(train.ExitCode == 0, train.Stderr);
        using (JsonDocument json = JsonDocument.Parse(train.Stdout))
        {
            double noisy = json.RootElement.GetProperty("psnr_noisy_db").GetDouble(), denoised = json.RootElement.GetProperty("psnr_denoised_db").GetDouble();
            Assert.True(denoised > noisy + 1, $"PSNR {noisy} → {denoised}");
        }

        CliResult noise = CliRunner.Run(_dir, "noise", "--data", "digits", "--split", "test", "--count", "5", "--noise-level", "0.3", "--out", File("digits"));
        Assert.True(noise.ExitCode == 0, noise.Stderr);
        Assert.Equal(5, Directory.GetFiles(File("digits/noisy")).Length);

        CliResult denoise = CliRunner.Run(_dir, "denoise", "--model", model, "--data", File("digits/noisy"), "--out", File("digits/denoised"),
            "--reference", File("digits/clean"), "--json");
        Assert.True(denoise.ExitCode == 0, denoise.Stderr);
        using (JsonDocument json = JsonDocument.Parse(denoise.Stdout))
            Assert.True(json.RootElement.GetProperty("psnr_denoised_db").GetDouble() > json.RootElement.GetProperty("psnr_noisy_db").GetDouble());
        PngImage first = PngReader.Read(File("digits/denoised/0000.png"));
        Assert.Equal((8, 8, PngColorType.Gray), (first.Width, first.Height, first.ColorType));

        // One file in, one file out; a 16×16 image only with --resize, and back at 16×16.
        CliResult single = CliRunner.Run(_dir, "denoise", "--model", model, "--data", File("digits/noisy/0001.png"), "--out", File("one.png"));
        Assert.True(single.ExitCode == 0, single.Stderr);
        PngWriter.Write(File("big.png"), new byte[16 * 16 * 3], 16, 16, PngColor.Rgb);
        CliResult refused = CliRunner.Run(_dir, "denoise", "--model", model, "--data", File("big.png"), "--out", File("big-out.png"));
        CliRunner.AssertCleanFailure(refused, "is a 16×16 colour image but the model takes 8×8 gray images");
        Assert.Equal(1, refused.ExitCode);
        Assert.False(System.IO.File.Exists(File("big-out.png")));
        CliResult resized = CliRunner.Run(_dir, "denoise", "--model", model, "--data", File("big.png"), "--out", File("big-out.png"), "--resize");
        Assert.True(resized.ExitCode == 0, resized.Stderr);
        Assert.Contains("Converted 1 of 1 image to the model's 8×8 gray (--resize); the results are gray", resized.Stdout);
        Assert.Equal(16, PngReader.Read(File("big-out.png")).Width);

        // Same size, other colour: refused too (colour was dropped without a word).
        PngWriter.Write(File("colour.png"), new byte[8 * 8 * 3], 8, 8, PngColor.Rgb);
        CliRunner.AssertCleanFailure(CliRunner.Run(_dir, "denoise", "--model", model, "--data", File("colour.png"), "--out", File("colour-out.png")), "8×8 colour image");
    }

    [Fact]
    public void NoiseWritesNoisyCopiesOfFilesAndFolders()
    {
        Directory.CreateDirectory(File("in"));
        PngWriter.Write(File("in/a.png"), Enumerable.Repeat((byte)128, 36).ToArray(), 6, 6, PngColor.Gray);
        PngWriter.Write(File("in/b.png"), Enumerable.Repeat((byte)200, 6 * 6 * 3).ToArray(), 6, 6, PngColor.Rgb);
        CliResult folder = CliRunner.Run(_dir, "noise", "--data", File("in"), "--out", File("out"), "--noise", "salt-and-pepper", "--noise-level", "0.5", "--seed", "3");
        Assert.True(folder.ExitCode == 0, folder.Stderr);
        Raster a = PngReader.Read(File("out/a.png")).ToRaster();
        Assert.Equal(PngColor.Gray, a.Color);
        Assert.Contains(a.Pixels, p => p is 0 or 255);
        Assert.Contains(a.Pixels, p => p == 128);
        Assert.Equal(PngColor.Rgb, PngReader.Read(File("out/b.png")).RasterColor);

        CliResult file = CliRunner.Run(_dir, "noise", "--data", File("in/a.png"), "--out", File("a-noisy.png"), "--noise", "masking");
        Assert.True(file.ExitCode == 0, file.Stderr);
        Assert.True(System.IO.File.Exists(File("a-noisy.png")));
    }

    [Fact]
    public void BadInputIsRefusedInOneSentence()
    {
        System.IO.File.WriteAllText(File("table.csv"), "x,y\n1,2\n3,4\n");
        CliRunner.AssertCleanFailure(CliRunner.Run(_dir, "train", "--kind", "conv", "--data", File("table.csv"), "--out", File("m.safetensors")), "needs images");
        CliRunner.AssertCleanFailure(CliRunner.Run(_dir, "noise", "--data", File("missing"), "--out", File("x.png")), "missing");
        CliRunner.AssertCleanFailure(CliRunner.Run(_dir, "noise", "--out", File("x.png")), "--data is required");
        CliRunner.AssertCleanFailure(CliRunner.Run(_dir, "noise", "--data", "digits", "--noise", "masking", "--noise-level", "2", "--out", File("d")), "--noise-level");
        CliRunner.AssertCleanFailure(CliRunner.Run(_dir, "train", "--kind", "conv", "--data", "digits", "--noise-level", "0.3", "--out", File("m.safetensors")), "--noise");
        System.IO.File.WriteAllBytes(File("broken.png"), [137, 80, 78, 71, 13, 10, 26, 10, 0, 0]);
        CliRunner.AssertCleanFailure(CliRunner.Run(_dir, "noise", "--data", File("broken.png"), "--out", File("y.png")), "broken.png");
        Assert.False(System.IO.File.Exists(File("m.safetensors")));
    }
}
