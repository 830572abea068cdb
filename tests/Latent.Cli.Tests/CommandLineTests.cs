namespace Latent.Cli.Tests;

public class CommandLineTests
{
    private static readonly string Here = Path.GetTempPath();

    [Fact]
    public void UnknownVerbIsOneClearLine() =>
        CliRunner.AssertCleanFailure(CliRunner.Run(Here, "nonsense"), "nonsense");

    [Fact]
    public void UnknownOptionIsOneClearLine() =>
        CliRunner.AssertCleanFailure(CliRunner.Run(Here, "demo", "--epoch", "3"), "--epoch");

    [Fact]
    public void AMistakeInANestedVerbPointsToThatVerbsHelp()
    {
        CliResult result = CliRunner.Run(Here, "detect", "fit", "--labelcolumn", "label");
        CliRunner.AssertCleanFailure(result, "See 'latent detect fit --help'.");
        Assert.Equal(2, result.ExitCode);
    }

    [Fact]
    public void MalformedNumberIsOneClearLine() =>
        CliRunner.AssertCleanFailure(CliRunner.Run(Here, "demo", "--epochs", "many"), "many");

    [Fact]
    public void HelpWorksOnEveryVerb()
    {
        CliResult root = CliRunner.Run(Here, "--help");
        Assert.Equal(0, root.ExitCode);
        Assert.Contains("demo", root.Stdout);
        CliResult demo = CliRunner.Run(Here, "demo", "--help");
        Assert.Equal(0, demo.ExitCode);
        Assert.Contains("--epochs", demo.Stdout);
    }

    [Fact]
    public void DemoComparesWithPcaAndWritesTheRunFolder()
    {
        string folder = Path.Combine(Path.GetTempPath(), "latent-cli-tests", Guid.NewGuid().ToString("N"));
        try
        {
            CliResult result = CliRunner.Run(Here, "demo", "--epochs", "2", "--out", folder);
            Assert.Equal(0, result.ExitCode);
            Assert.Contains("PCA", result.Stdout);
            Assert.Equal("", result.Stderr);
            Assert.True(File.Exists(Path.Combine(folder, "model.safetensors")));
            Assert.True(File.Exists(Path.Combine(folder, "report.html")));

            CliRunner.AssertCleanFailure(CliRunner.Run(Here, "demo", "--epochs", "2", "--out", folder), "--force");
            CliResult json = CliRunner.Run(Here, "demo", "--epochs", "2", "--out", folder, "--json", "--force");
            Assert.Equal(0, json.ExitCode);
            using var doc = System.Text.Json.JsonDocument.Parse(json.Stdout);
            Assert.True(doc.RootElement.GetProperty("pca_mse").GetDouble() > 0);
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }
}
