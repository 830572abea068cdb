namespace Latent.Cli.Tests;

/// <summary>
/// Outputs are checked before the work (a file where a file belongs, a folder that takes it, not an input, not there
/// already unless --force), and a run that fails leaves the old output as it was and nothing half-written beside it.
/// </summary>
public sealed class OutputTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "latent-cli-tests", Guid.NewGuid().ToString("N"));

    public OutputTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string File(string name) => Path.Combine(_dir, name);

    private string Table()
    {
        System.IO.File.WriteAllText(File("table.csv"), "a,b,c\n" + string.Concat(Enumerable.Range(0, 40).Select(i => $"{i},{2 * i},{i % 7}\n")));
        return File("table.csv");
    }

    /// <summary>Refused before any work: one clean line, nothing on stdout (no training started), no staging file left.</summary>
    private void AssertRefusedBeforeTheWork(CliResult result, string fragment)
    {
        CliRunner.AssertCleanFailure(result, fragment);
        Assert.Equal("", result.Stdout);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_dir, ".*"));
    }

    [Fact]
    public void AFolderAsOutIsRefused()
    {
        Directory.CreateDirectory(File("models"));
        AssertRefusedBeforeTheWork(CliRunner.Run(_dir, "train", "--data", "digits", "--out", File("models")), "is a folder");
    }

    [Fact]
    public void AnUnwritableOutIsRefused()
    {
        // Tests run as root, which ignores permissions: /proc takes no new files, and nothing goes inside a file.
        AssertRefusedBeforeTheWork(CliRunner.Run(_dir, "train", "--data", "digits", "--out", "/proc/latent-model.safetensors"), "does not take new files");
        AssertRefusedBeforeTheWork(CliRunner.Run(_dir, "train", "--data", Table(), "--out", Path.Combine(Table(), "model.safetensors")), "which is a file");
        AssertRefusedBeforeTheWork(CliRunner.Run(_dir, "train", "--data", "digits", "--out", File("missing/model.safetensors")), "does not exist");
    }

    [Fact]
    public void OutEqualToAnInputIsRefused()
    {
        string table = Table(), before = System.IO.File.ReadAllText(table);
        AssertRefusedBeforeTheWork(CliRunner.Run(_dir, "train", "--data", table, "--out", table, "--force"), "is also an input (--data)");
        AssertRefusedBeforeTheWork(CliRunner.Run(_dir, "impute", "--data", table, "--out", table, "--force"), "is also an input (--data)");
        Assert.Equal(before, System.IO.File.ReadAllText(table));
        AssertRefusedBeforeTheWork(CliRunner.Run(_dir, "train", "--data", "digits", "--out", File("m.safetensors"), "--report", File("m.safetensors")), "is also --out");
    }

    [Fact]
    public void AnExistingOutIsRefusedWithoutForceAndReplacedWithIt()
    {
        string table = Table(), model = File("m.safetensors"), codes = File("codes.csv");
        Assert.Equal(0, CliRunner.Run(_dir, "train", "--data", table, "--out", model, "--epochs", "1", "--json").ExitCode);
        System.IO.File.WriteAllText(codes, "old");
        AssertRefusedBeforeTheWork(CliRunner.Run(_dir, "encode", "--model", model, "--data", table, "--out", codes), "exists; pass --force to overwrite it");
        Assert.Equal("old", System.IO.File.ReadAllText(codes));

        CliResult forced = CliRunner.Run(_dir, "encode", "--model", model, "--data", table, "--out", codes, "--force");
        Assert.True(forced.ExitCode == 0, forced.Stderr);
        Assert.StartsWith("code_1,", System.IO.File.ReadAllText(codes));

        // A run that fails after the check keeps the old output whole.
        System.IO.File.WriteAllText(File("other.csv"), "x,y\n1,2\n");
        CliRunner.AssertCleanFailure(CliRunner.Run(_dir, "encode", "--model", model, "--data", File("other.csv"), "--out", codes, "--force"), "lacks");
        Assert.StartsWith("code_1,", System.IO.File.ReadAllText(codes));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_dir, ".*"));
    }

    [Fact]
    public void FolderOutputsRefuseAFileAndAFolderWithFilesUnlessForced()
    {
        string table = Table();
        AssertRefusedBeforeTheWork(CliRunner.Run(_dir, "noise", "--data", "digits", "--count", "3", "--out", table), "a folder is needed");

        Directory.CreateDirectory(File("images"));
        System.IO.File.WriteAllText(File("images/notes.txt"), "mine");
        AssertRefusedBeforeTheWork(CliRunner.Run(_dir, "noise", "--data", "digits", "--count", "3", "--out", File("images")), "pass --force");
        CliResult forced = CliRunner.Run(_dir, "noise", "--data", "digits", "--count", "3", "--out", File("images"), "--force");
        Assert.True(forced.ExitCode == 0, forced.Stderr);
        Assert.Equal(3, Directory.GetFiles(File("images/noisy"), "*.png").Length);
        Assert.Equal("mine", System.IO.File.ReadAllText(File("images/notes.txt")));   // files of other names are left alone
        Assert.Empty(Directory.EnumerateFileSystemEntries(File("images"), ".*"));
    }
}
