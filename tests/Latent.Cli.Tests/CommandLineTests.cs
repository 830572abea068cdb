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
    public void DemoRunsAndReportsItsError()
    {
        CliResult result = CliRunner.Run(Here, "demo", "--epochs", "2");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("reconstruction error", result.Stdout);
        Assert.Equal("", result.Stderr);
    }
}
