using System.Text.Json;

namespace Latent.Cli.Tests;

/// <summary>`latent train --kind vae` and `latent generate`: grids, rows, interpolation, and clean refusals.</summary>
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
        CliResult train = CliRunner.Run(_dir, "train", "--kind", "vae", "--data", "digits", "--out", model, "--epochs", "5", "--hidden", "64", "--code", "4", "--json");
        Assert.True(train.ExitCode == 0, train.Stderr);
        using (var json = JsonDocument.Parse(train.Stdout)) Assert.True(json.RootElement.GetProperty("negative_elbo").GetDouble() > 0);

        CliResult grid = CliRunner.Run(_dir, "generate", "--model", model, "--count", "16", "--out", File("grid.png"), "--seed", "3");
        Assert.True(grid.ExitCode == 0, grid.Stderr);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], System.IO.File.ReadAllBytes(File("grid.png"))[..4]);

        CliResult rows = CliRunner.Run(_dir, "generate", "--model", model, "--count", "5", "--out", File("rows.csv"));
        Assert.True(rows.ExitCode == 0, rows.Stderr);
        Assert.Equal(6, System.IO.File.ReadAllLines(File("rows.csv")).Length);

        // Rows count from 0: the first and the last of the 1,438 training digits are 0 and 1437.
        CliResult strip = CliRunner.Run(_dir, "generate", "--model", model, "--interpolate", "0", "1437", "--data", "digits", "--steps", "6", "--out", File("strip.png"));
        Assert.True(strip.ExitCode == 0, strip.Stderr);
        Assert.True(System.IO.File.Exists(File("strip.png")));
        CliResult past = CliRunner.Run(_dir, "generate", "--model", model, "--interpolate", "0", "1438", "--data", "digits", "--out", File("past.png"));
        CliRunner.AssertCleanFailure(past, "outside 0 to 1437");
        Assert.Equal(1, past.ExitCode);

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
