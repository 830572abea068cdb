using System.Text.Json;
using Latent.Imaging;

namespace Latent.Cli.Tests;

/// <summary>train --kind unet (colorize, segment), colorize and segment (--demo and with a model), and the bad input they refuse.</summary>
public sealed class UNetVerbTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "latent-cli-tests", Guid.NewGuid().ToString("N"));

    public UNetVerbTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string File(string name) => Path.Combine(_dir, name);

    /// <summary>A small CIFAR-10 binary file of random colour blocks.</summary>
    private string TinyCifar(int records)
    {
        var rng = new Random(1);
        var bytes = new byte[records * 3073];
        for (int r = 0; r < records; r++)
        {
            bytes[r * 3073] = (byte)(r % 10);
            for (int c = 0; c < 3; c++)
            {
                byte level = (byte)rng.Next(256);
                for (int p = 0; p < 1024; p++) bytes[r * 3073 + 1 + c * 1024 + p] = p % 32 < 16 ? level : (byte)(255 - level);
            }
        }
        string path = File("tiny.bin");
        System.IO.File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public void TrainAColorizerAndColourAGrayImageOfAnotherSize()
    {
        string model = File("colorizer.safetensors");
        CliResult train = CliRunner.Run(_dir, "train", "--kind", "unet", "--task", "colorize", "--data", TinyCifar(24), "--filters", "4,8",
            "--epochs", "1", "--batch-size", "8", "--out", model, "--report", File("report.html"), "--json");
        Assert.True(train.ExitCode == 0, train.Stderr);
        using (JsonDocument json = JsonDocument.Parse(train.Stdout))
        {
            Assert.True(json.RootElement.GetProperty("psnr_gray_db").GetDouble() > 5);
            Assert.True(json.RootElement.GetProperty("colorfulness_truth").GetDouble() > 0);
        }
        Assert.Contains("original (right)", System.IO.File.ReadAllText(File("report.html")));

        PngWriter.Write(File("gray.png"), Enumerable.Range(0, 40 * 30).Select(i => (byte)(i % 256)).ToArray(), 40, 30, PngColor.Gray);
        CliResult colorize = CliRunner.Run(_dir, "colorize", "--model", model, "--data", File("gray.png"), "--out", File("colour.png"), "--tile", "16", "--overlap", "4");
        Assert.True(colorize.ExitCode == 0, colorize.Stderr);
        PngImage colour = PngReader.Read(File("colour.png"));
        Assert.Equal((40, 30, PngColorType.Rgb), (colour.Width, colour.Height, colour.ColorType));

        CliRunner.AssertCleanFailure(CliRunner.Run(_dir, "colorize", "--model", model, "--data", File("gray.png"), "--out", File("c2.png"), "--tile", "16", "--overlap", "8"),
            "The tile overlap must be at least 0 and less than half the tile size (16), not 8.");
        Assert.False(System.IO.File.Exists(File("c2.png")));
    }

    [Fact]
    public void TheSegmentDemoLearnsTheShapesAndItsModelWritesMasksAndOverlays()
    {
        CliResult demo = CliRunner.Run(_dir, "segment", "--demo", "--epochs", "2", "--out", File("run"), "--json");
        Assert.True(demo.ExitCode == 0, demo.Stderr);
        using (JsonDocument json = JsonDocument.Parse(demo.Stdout))
            Assert.True(json.RootElement.GetProperty("mean_iou").GetDouble() > 0.5, demo.Stdout);

        var pixels = new byte[20 * 20];
        for (int y = 5; y < 12; y++)
            for (int x = 5; x < 12; x++) pixels[y * 20 + x] = 220;
        PngWriter.Write(File("shape.png"), pixels, 20, 20, PngColor.Gray);
        CliResult segment = CliRunner.Run(_dir, "segment", "--model", File("run/model.safetensors"), "--data", File("shape.png"), "--out", File("mask.png"),
            "--overlay", File("overlay.png"));
        Assert.True(segment.ExitCode == 0, segment.Stderr);
        PngImage mask = PngReader.Read(File("mask.png"));
        Assert.Equal((20, 20, PngColorType.Gray), (mask.Width, mask.Height, mask.ColorType));
        Assert.All(mask.Samples, s => Assert.InRange(s, 0, 2));
        Assert.Equal(PngColorType.Rgb, PngReader.Read(File("overlay.png")).ColorType);

        // A segmenter is not a colorizer; the demo takes no model; applying needs one.
        CliRunner.AssertCleanFailure(CliRunner.Run(_dir, "colorize", "--model", File("run/model.safetensors"), "--data", File("shape.png"), "--out", File("x.png")),
            "is a segmenter (written by 'latent train --kind unet --task segment'), not a colorizer; use it with 'latent segment --model");
        CliResult both = CliRunner.Run(_dir, "segment", "--demo", "--model", File("run/model.safetensors"));
        Assert.Equal(2, both.ExitCode);
        CliRunner.AssertCleanFailure(both, "--demo makes its own images and model");
        Assert.Equal(2, CliRunner.Run(_dir, "segment", "--data", File("shape.png"), "--out", File("m.png")).ExitCode);
    }

    [Fact]
    public void TrainASegmenterFromImageAndMaskFolders()
    {
        Directory.CreateDirectory(File("images"));
        Directory.CreateDirectory(File("masks"));
        for (int i = 0; i < 6; i++)
        {
            var image = new byte[16 * 16];
            var mask = new byte[16 * 16];
            for (int y = i; y < i + 6; y++)
                for (int x = 2; x < 10; x++) (image[y * 16 + x], mask[y * 16 + x]) = (200, 1);
            PngWriter.Write(File($"images/{i}.png"), image, 16, 16, PngColor.Gray);
            PngWriter.Write(File($"masks/{i}.png"), mask, 16, 16, PngColor.Gray);
        }
        CliResult train = CliRunner.Run(_dir, "train", "--kind", "unet", "--task", "segment", "--data", File("images"), "--masks", File("masks"),
            "--filters", "4,8", "--epochs", "2", "--batch-size", "3", "--validation", "0", "--out", File("seg.safetensors"), "--json");
        Assert.True(train.ExitCode == 0, train.Stderr);
        using (JsonDocument json = JsonDocument.Parse(train.Stdout))
            Assert.Equal(2, json.RootElement.GetProperty("iou").GetArrayLength());

        System.IO.File.Delete(File("masks/3.png"));
        CliRunner.AssertCleanFailure(CliRunner.Run(_dir, "train", "--kind", "unet", "--task", "segment", "--data", File("images"), "--masks", File("masks"),
            "--out", File("seg2.safetensors")), "has no mask");
        CliResult wrongKind = CliRunner.Run(_dir, "train", "--kind", "dense", "--task", "segment", "--data", "digits", "--out", File("d.safetensors"));
        Assert.Equal(2, wrongKind.ExitCode);
        CliRunner.AssertCleanFailure(wrongKind, "--task and --masks are for --kind unet.");
    }
}
