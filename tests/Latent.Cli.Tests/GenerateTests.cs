using System.Text.Json;

namespace Latent.Cli.Tests;

/// <summary>`latent train --model vae` and `latent generate`: grids, rows, interpolation, and clean refusals.</summary>
public sealed class GenerateTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "latent-cli-tests", Guid.NewGuid().ToString("N"));

    public GenerateTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string File(string name) => Path.Combine(_dir, name);

    [Fact]
    public void AVaeTrainedOnDigitsGeneratesGridsRowsAndInterpolations()
    {
        string model = File("vae.safetensors");
        CliResult train = CliRunner.Run(_dir, "train", "--model", "vae", "--data", "digits", "--out", model, "--epochs", "5", "--hidden", "64", "--code", "4", "--json");
        Assert.True(train.ExitCode == 0, train.Stderr);
        using (var json = JsonDocument.Parse(train.Stdout)) Assert.True(json.RootElement.GetProperty("negative_elbo").GetDouble() > 0);

        CliResult grid = CliRunner.Run(_dir, "generate", "--model", model, "--count", "16", "--out", File("grid.png"), "--seed", "3");
        Assert.True(grid.ExitCode == 0, grid.Stderr);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], System.IO.File.ReadAllBytes(File("grid.png"))[..4]);

        CliResult rows = CliRunner.Run(_dir, "generate", "--model", model, "--count", "5", "--out", File("rows.csv"));
        Assert.True(rows.ExitCode == 0, rows.Stderr);
        Assert.Equal(6, System.IO.File.ReadAllLines(File("rows.csv")).Length);

        CliResult strip = CliRunner.Run(_dir, "generate", "--model", model, "--interpolate", "1", "2", "--data", "digits", "--steps", "6", "--out", File("strip.png"));
        Assert.True(strip.ExitCode == 0, strip.Stderr);
        Assert.True(System.IO.File.Exists(File("strip.png")));

        CliResult codes = CliRunner.Run(_dir, "encode", "--model", model, "--data", "digits", "--out", File("codes.csv"));   // any model kind encodes
        Assert.True(codes.ExitCode == 0, codes.Stderr);
        Assert.StartsWith("code_1,code_2,code_3,code_4,label", System.IO.File.ReadLines(File("codes.csv")).First());

        CliRunner.AssertCleanFailure(CliRunner.Run(_dir, "generate", "--model", model, "--label", "3", "--out", File("x.png")), "--conditional");
        CliRunner.AssertCleanFailure(CliRunner.Run(_dir, "generate", "--model", model, "--out", File("x.txt")), "--out");
        Assert.False(System.IO.File.Exists(File("x.png")));
    }

    [Fact]
    public void GenerateRefusesAModelThatIsNotAVae()
    {
        System.IO.File.WriteAllText(File("fake.safetensors"), "not a model");
        CliRunner.AssertCleanFailure(CliRunner.Run(_dir, "generate", "--model", File("fake.safetensors"), "--out", File("g.png")), "fake.safetensors");
    }
}
