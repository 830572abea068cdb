using System.Globalization;
using System.Text;
using System.Text.Json;
using Latent.Applications.Imputation;
using Latent.Data;

namespace Latent.Cli.Tests;

/// <summary>`latent impute` and `latent impute evaluate` on small CSV files, and the bad input they must refuse cleanly.</summary>
public sealed class ImputeTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "latent-cli-tests", Guid.NewGuid().ToString("N"));

    public ImputeTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string File(string name) => Path.Combine(_dir, name);

    /// <summary>120 rows of two related numbers, a category and an id text column; holes marked in the usual ways.</summary>
    private string WriteTable(bool holes)
    {
        var rng = new Random(2);
        var sb = new StringBuilder("x,\"y, doubled\",kind,name\n");
        string[] markers = ["", "NaN", "NA", "?"];
        for (int i = 0; i < 120; i++)
        {
            double t = rng.NextDouble() * 10;
            string x = holes && i % 9 == 0 ? markers[i % 4] : t.ToString("F2", CultureInfo.InvariantCulture);
            string y = holes && i % 7 == 3 ? markers[i % 4] : (2 * t).ToString("F2", CultureInfo.InvariantCulture);
            string kind = holes && i % 11 == 5 ? "" : t > 5 ? "big" : "small";
            sb.Append(CultureInfo.InvariantCulture, $"{x},{y},{kind},\"item {i}, v1\"\n");
        }
        System.IO.File.WriteAllText(File(holes ? "holes.csv" : "complete.csv"), sb.ToString());
        return File(holes ? "holes.csv" : "complete.csv");
    }

    [Fact]
    public void ImputeFillsEveryHoleAndKeepsTheRest()
    {
        string input = WriteTable(holes: true), output = File("filled.csv");
        CliResult result = CliRunner.Run(_dir, "impute", "--data", input, "--out", output, "--epochs", "20", "--hidden", "16", "--json");
        Assert.True(result.ExitCode == 0, result.Stderr);
        using var json = JsonDocument.Parse(result.Stdout);
        Assert.True(json.RootElement.GetProperty("filled_cells").GetInt32() > 20);

        string[] before = System.IO.File.ReadAllLines(input), after = System.IO.File.ReadAllLines(output);
        Assert.Equal(before.Length, after.Length);
        Assert.Equal(before[0], after[0]);
        for (int i = 1; i < before.Length; i++)
            Assert.EndsWith($",\"item {i - 1}, v1\"", after[i]);   // text column, quoting and order kept
        Assert.DoesNotContain(",,", string.Join("\n", after));
    }

    [Fact]
    public void ASavedImputerFillsOtherRowsAsTheLibraryDoes()
    {
        string[] lines = System.IO.File.ReadAllLines(WriteTable(holes: true));
        System.IO.File.WriteAllLines(File("first.csv"), lines[..81]);
        System.IO.File.WriteAllLines(File("rest.csv"), [lines[0], .. lines[81..]]);
        string model = File("imputer.safetensors");
        CliResult fit = CliRunner.Run(_dir, "impute", "--data", File("first.csv"), "--out", File("first-filled.csv"), "--save", model, "--epochs", "20", "--hidden", "16");
        Assert.True(fit.ExitCode == 0, fit.Stderr);

        CliResult apply = CliRunner.Run(_dir, "impute", "--model", model, "--data", File("rest.csv"), "--out", File("rest-filled.csv"), "--json");
        Assert.True(apply.ExitCode == 0, apply.Stderr);
        using var json = JsonDocument.Parse(apply.Stdout);
        Assert.True(json.RootElement.GetProperty("filled_cells").GetInt32() > 5);
        CsvOutput.Write(File("library.csv"), Imputer.Open(model).Transform(CsvTable.Read(File("rest.csv"))));
        Assert.Equal(System.IO.File.ReadAllText(File("library.csv")), System.IO.File.ReadAllText(File("rest-filled.csv")));

        CliResult refused = CliRunner.Run(_dir, "impute", "--model", model, "--data", File("rest.csv"), "--out", File("x.csv"), "--epochs", "5");
        Assert.Equal(2, refused.ExitCode);
        CliRunner.AssertCleanFailure(refused, "--epochs is a setting for fitting");
        Assert.False(System.IO.File.Exists(File("x.csv")));
    }

    [Theory]
    [InlineData("mean")]
    [InlineData("knn")]
    public void BaselineMethodsFillTheTableToo(string method)
    {
        string output = File($"{method}.csv");
        CliResult result = CliRunner.Run(_dir, "impute", "--data", WriteTable(holes: true), "--out", output, "--method", method);
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.DoesNotContain(",,", System.IO.File.ReadAllText(output));
    }

    [Fact]
    public void EvaluatePrintsOneJsonObjectWithTheRmseOfEachMethod()
    {
        string table = File("numbers.csv");
        var sb = new StringBuilder("a,b,c\n");
        var rng = new Random(3);
        for (int i = 0; i < 150; i++)
        {
            double t = rng.NextDouble();
            sb.Append(CultureInfo.InvariantCulture, $"{t:F4},{1 - t:F4},{t * t:F4}\n");
        }
        System.IO.File.WriteAllText(table, sb.ToString());
        CliResult result = CliRunner.Run(_dir, "impute", "evaluate", "--data", table, "--missing", "0.2", "--seeds", "2", "--epochs", "300", "--hidden", "64", "--json");
        Assert.True(result.ExitCode == 0, result.Stderr);
        using var json = JsonDocument.Parse(result.Stdout);
        double ours = json.RootElement.GetProperty("rmse").GetDouble(), mean = json.RootElement.GetProperty("mean_rmse").GetDouble();
        // b = 1 − a and c = a² tie the columns, so a hole is predictable from its row: ours 0.11, kNN 0.06, column mean 0.29.
        Assert.True(ours < 0.6 * mean, result.Stdout);
        Assert.True(json.RootElement.GetProperty("knn_rmse").GetDouble() < 0.6 * mean, result.Stdout);
        double[] perSeed = [.. json.RootElement.GetProperty("rmse_per_seed").EnumerateArray().Select(e => e.GetDouble())];
        Assert.Equal(2, perSeed.Length);
        Assert.Equal(perSeed.Average(), ours, 9);
        Assert.Equal(Math.Sqrt(perSeed.Average(r => (r - ours) * (r - ours))), json.RootElement.GetProperty("rmse_std").GetDouble(), 9);
        // GAIN rounds only columns with fewer than 20 distinct values; every column here has ~150, so nothing changes.
        Assert.Equal(ours, json.RootElement.GetProperty("gain_rounded_rmse").GetDouble(), 9);
    }

    [Fact]
    public void BadInputIsOneSentenceAndNoOutputFile()
    {
        string output = File("out.csv");
        CliRunner.AssertCleanFailure(CliRunner.Run(_dir, "impute", "--data", File("absent.csv"), "--out", output), "absent.csv");
        System.IO.File.WriteAllText(File("empty-column.csv"), "a,b\n1,\n2,NA\n3,?\n");
        CliRunner.AssertCleanFailure(CliRunner.Run(_dir, "impute", "--data", File("empty-column.csv"), "--out", output), "'b'");
        System.IO.File.WriteAllText(File("ragged.csv"), "a,b\n1,2\n3\n");
        CliRunner.AssertCleanFailure(CliRunner.Run(_dir, "impute", "--data", File("ragged.csv"), "--out", output), "line");
        CliRunner.AssertCleanFailure(CliRunner.Run(_dir, "impute", "evaluate", "--data", WriteTable(holes: false), "--missing", "1.5"), "missing rate");
        CliRunner.AssertCleanFailure(CliRunner.Run(_dir, "impute", "evaluate", "--data", WriteTable(holes: false)), "not numeric");
        Assert.False(System.IO.File.Exists(output));
    }

    [Fact]
    public void ImputeKeepsTheHeaderTextAndFillsWholeNumberColumnsWithWholeNumbers()
    {
        var sb = new StringBuilder("id,Cat 2 ,count,ratio\n");
        for (int i = 0; i < 80; i++)
            sb.Append(CultureInfo.InvariantCulture,
                $"r{i},{(i % 7 == 2 ? "" : i % 3 == 0 ? "red" : "blue")},{(i % 5 == 1 ? "" : (i % 12).ToString(CultureInfo.InvariantCulture))},{(i % 6 == 4 ? "" : (i * 0.37).ToString("F2", CultureInfo.InvariantCulture))}\n");
        System.IO.File.WriteAllText(File("counts.csv"), sb.ToString());
        CliResult result = CliRunner.Run(_dir, "impute", "--data", File("counts.csv"), "--out", File("filled.csv"), "--exclude", "id", "--epochs", "5", "--hidden", "16");
        Assert.True(result.ExitCode == 0, result.Stderr);

        string[] lines = System.IO.File.ReadAllLines(File("filled.csv"));
        Assert.Equal("id,Cat 2 ,count,ratio", lines[0]);
        string[][] rows = [.. lines.Skip(1).Select(l => l.Split(','))];
        Assert.All(rows, r => Assert.Contains(r[1], new[] { "red", "blue" }));
        Assert.All(rows, r => Assert.InRange(int.Parse(r[2], CultureInfo.InvariantCulture), 0, 11));   // whole numbers, as the known ones
        Assert.All(rows, r => Assert.NotEqual("", r[3]));
    }
}
