using System.Globalization;
using System.Text;

namespace Latent.Cli.Tests;

/// <summary>
/// --label-column and --exclude in every verb that reads a table: the same mistake, a column that is not in the data,
/// is refused the same way everywhere (exit code 1, one sentence naming the column and the columns there are) before
/// any work, and a named data set, which has no columns, refuses column names.
/// </summary>
public sealed class ColumnOptionsTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "latent-cli-tests", Guid.NewGuid().ToString("N"));

    public ColumnOptionsTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string File(string name) => Path.Combine(_dir, name);

    /// <summary>60 rows: a text id (a distinct value per row), two numbers, a category and a label.</summary>
    private string WriteTable()
    {
        var rng = new Random(3);
        var sb = new StringBuilder("id,x,y,kind,label\n");
        for (int i = 0; i < 60; i++)
        {
            double t = rng.NextDouble();
            sb.Append(CultureInfo.InvariantCulture, $"item-{i},{t:F3},{2 * t + 0.1 * rng.NextDouble():F3},{(t > 0.5 ? "big" : "small")},{(t > 0.5 ? 1 : 0)}\n");
        }
        System.IO.File.WriteAllText(File("table.csv"), sb.ToString());
        return File("table.csv");
    }

    private void Succeed(params string[] args)
    {
        CliResult result = CliRunner.Run(_dir, args);
        Assert.True(result.ExitCode == 0, $"latent {string.Join(' ', args)}: {result.Stderr}");
    }

    [Fact]
    public void AColumnThatIsNotInTheDataExitsWithOneInEveryVerb()
    {
        string table = WriteTable(), model = File("m.safetensors"), detector = File("d.safetensors"), db = File("index.db");
        Succeed("train", "--data", table, "--out", model, "--exclude", "id", "--label-column", "label", "--hidden", "4", "--code", "2", "--epochs", "1");
        Succeed("detect", "fit", "--data", table, "--out", detector, "--exclude", "id", "--label-column", "label", "--members", "1", "--epochs", "1");
        Succeed("index", "build", "--model", model, "--data", table, "--db", db, "--exclude", "id", "--label-column", "label");
        string[] before = Directory.GetFiles(_dir);

        string[][] verbs =
        [
            ["train", "--data", table, "--out", File("t.safetensors")],
            ["encode", "--model", model, "--data", table, "--out", File("e.csv")],
            ["reconstruct", "--model", model, "--data", table, "--out", File("r.csv")],
            ["reduce", "--data", table, "--out", File("reduced.csv")],
            ["features", "--model", model, "--data", table],
            ["cluster", "--data", table, "-k", "2"],
            ["detect", "fit", "--data", table, "--out", File("d2.safetensors")],
            ["detect", "score", "--model", detector, "--data", table, "--out", File("s.csv")],
            ["detect", "evaluate", "--data", table, "--label-column", "label"],
            ["impute", "--data", table, "--out", File("i.csv")],
            ["impute", "evaluate", "--data", table],
            ["index", "build", "--model", model, "--data", table, "--db", File("b.db")],
            ["index", "add", "--db", db, "--data", table],
            ["search", "--db", db, "--row", "0", "--data", table],
        ];
        foreach (string[] verb in verbs)
            foreach (string option in new[] { "--label-column", "--exclude" }.Where(o => !verb.Contains(o)))
            {
                CliResult result = CliRunner.Run(_dir, [.. verb, option, "nosuch"]);
                string role = option == "--exclude" ? "excluded column" : "label column";
                CliRunner.AssertCleanFailure(result, $"The {role} 'nosuch' is not a column of the CSV file '{table}', whose columns are 'id', 'x', 'y', 'kind', 'label'.");
                Assert.True(result.ExitCode == 1, $"latent {string.Join(' ', verb)} {option} nosuch exited with {result.ExitCode}");
                Assert.DoesNotContain("epoch", result.Stdout);
            }
        Assert.Equal(before, Directory.GetFiles(_dir));   // nothing written

        CliResult named = CliRunner.Run(_dir, "cluster", "--data", "digits", "--label-column", "label");
        CliRunner.AssertCleanFailure(named, "the data set 'digits' has no named columns");
        Assert.Equal(1, named.ExitCode);
    }
}
