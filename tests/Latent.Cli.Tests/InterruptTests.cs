using Latent.TestData;

namespace Latent.Cli.Tests;

/// <summary>
/// Ctrl-C during long work, pressed once (stop after the current unit of work) and twice (stop at once): exit code 130,
/// one line on stderr without a trace, and no output left behind, neither the output nor a half-written one beside it.
/// The data are generated IDX images, so that the work lasts far longer than the test waits.
/// </summary>
public sealed class InterruptTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "latent-cli-tests", Guid.NewGuid().ToString("N"));

    public InterruptTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string File(string name) => Path.Combine(_dir, name);

    /// <summary>An IDX file of <paramref name="count"/> random 28×28 gray images (what `--data` reads like MNIST's).</summary>
    private string Images(string name, int count)
    {
        var rng = new Random(count);
        byte[] pixels = new byte[count * 28 * 28];
        rng.NextBytes(pixels);
        using var stream = System.IO.File.Create(File(name));
        stream.Write([0, 0, 8, 3]);   // unsigned bytes, three dimensions
        foreach (int size in new[] { count, 28, 28 }) stream.Write([(byte)(size >> 24), (byte)(size >> 16), (byte)(size >> 8), (byte)size]);
        stream.Write(pixels);
        return File(name);
    }

    /// <summary>Whether the command has claimed an output named <paramref name="name"/> (its hidden staging entry exists): it is past its start.</summary>
    private Func<bool> Staging(string name) => () => Directory.EnumerateFileSystemEntries(_dir, $".{name}*").Any();

    private void AssertInterruptedCleanly(CliResult result, string output)
    {
        Assert.True(result.ExitCode == 130, $"exit code {result.ExitCode}; stderr: {result.Stderr}");
        Assert.Equal("latent: interrupted; nothing was written.", Assert.Single(result.StderrLines));
        Assert.False(System.IO.File.Exists(File(output)) || Directory.Exists(File(output)), $"{output} was left behind.");
        string stem = Path.GetFileNameWithoutExtension(output);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_dir, $".{stem}*"));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void AnInterruptedIndexBuildLeavesNoIndex(int presses)
    {
        // Wide layers make encoding slow enough to interrupt; the model learns from a few images only.
        CliResult train = CliRunner.Run(_dir, "train", "--data", Images("few-images-idx3-ubyte", 64), "--hidden", "1024,1024", "--code", "16",
            "--epochs", "1", "--out", File("wide.safetensors"), "--json");
        Assert.True(train.ExitCode == 0, train.Stderr);
        CliResult build = CliRunner.RunInterrupted(_dir, presses, Staging("items"),
            "index", "build", "--model", File("wide.safetensors"), "--data", Images("many-images-idx3-ubyte", 40000), "--db", File("items.db"));
        AssertInterruptedCleanly(build, "items.db");
    }

    [PostgresFact]
    public void AKilledIndexBuildIntoPostgresLeavesNoTables()
    {
        using var database = new PostgresDatabase();
        CliResult train = CliRunner.Run(_dir, "train", "--data", Images("few-images-idx3-ubyte", 64), "--hidden", "1024,1024", "--code", "16",
            "--epochs", "1", "--out", File("wide.safetensors"), "--json");
        Assert.True(train.ExitCode == 0, train.Stderr);
        CliResult build = CliRunner.RunKilled(_dir, database.SomeoneIsWriting,
            "index", "build", "--model", File("wide.safetensors"), "--data", Images("many-images-idx3-ubyte", 40000), "--db", database.ConnectionString);
        Assert.True(build.ExitCode == 137, $"exit code {build.ExitCode}; stderr: {build.Stderr}");   // 128 + SIGKILL: it was at work
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (database.SomeoneIsWriting() && clock.Elapsed < TimeSpan.FromSeconds(30)) Thread.Sleep(50);   // the server notices the lost connection
        Assert.Empty(database.Tables());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void InterruptedNoiseLeavesNoFolder(int presses)
    {
        CliResult noise = CliRunner.RunInterrupted(_dir, presses, Staging("noisy"),
            "noise", "--data", Images("many-images-idx3-ubyte", 20000), "--count", "20000", "--out", File("noisy"));
        AssertInterruptedCleanly(noise, "noisy");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void InterruptedTrainingLeavesNoModel(int presses)
    {
        CliResult train = CliRunner.RunInterrupted(_dir, presses, Staging("model"),
            "train", "--data", Images("few-images-idx3-ubyte", 256), "--hidden", "256", "--epochs", "100000", "--out", File("model.safetensors"));
        AssertInterruptedCleanly(train, "model.safetensors");
    }
}
