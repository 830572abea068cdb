using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Latent.Cli.Tests;

/// <summary>latent detect fit, score and evaluate on small CSV files, and the bad input they must refuse cleanly.</summary>
public sealed class DetectTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "latent-cli-tests", Guid.NewGuid().ToString("N"));

    public DetectTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string File(string name) => Path.Combine(_dir, name);

    /// <summary>
    /// 400 rows: an id, three numeric columns on a line, a constant column and a category, with a label; the rows whose
    /// id ends in 37 (label 1) lie far off the line: y has the wrong sign.
    /// </summary>
    private string WriteTable(string name = "table.csv", Func<int, string, string>? edit = null)
    {
        var rng = new Random(5);
        var sb = new StringBuilder("id,x,y,z,constant,shift,label\n");
        for (int i = 0; i < 400; i++)
        {
            double t = rng.NextDouble() * 2 - 1, noise = (rng.NextDouble() - 0.5) * 0.1;
            bool anomaly = i % 100 == 37;
            if (anomaly) t = (0.5 + 0.4 * rng.NextDouble()) * (i % 200 == 37 ? 1 : -1);
            double y = anomaly ? -3 * t : 3 * t + noise;
            string line = string.Create(CultureInfo.InvariantCulture, $"{i},{t:F4},{y:F4},{1 - 2 * t + noise:F4},1,{(t > 0 ? "day" : "night")},{(anomaly ? 1 : 0)}");
            sb.Append(edit?.Invoke(i, line) ?? line).Append('\n');
        }
        System.IO.File.WriteAllText(File(name), sb.ToString());
        return File(name);
    }

    [Fact]
    public void FitScoreAndEvaluateATable()
    {
        string table = WriteTable(), detector = File("d.safetensors"), scores = File("scores.csv");
        CliResult fit = CliRunner.Run(_dir, "detect", "fit", "--data", table, "--out", detector, "--exclude", "id,label", "--contamination", "0.02", "--json");
        Assert.True(fit.ExitCode == 0, fit.Stderr);
        using (JsonDocument json = JsonDocument.Parse(fit.Stdout))
        {
            Assert.Equal(["constant"], json.RootElement.GetProperty("dropped_columns").EnumerateArray().Select(e => e.GetString()));
            Assert.Equal("contamination 0.02", json.RootElement.GetProperty("threshold_rule").GetString());
        }

        CliResult score = CliRunner.Run(_dir, "detect", "score", "--detector", detector, "--data", table, "--out", scores, "--chunk-rows", "64");
        Assert.True(score.ExitCode == 0, score.Stderr);
        string[] lines = System.IO.File.ReadAllLines(scores);
        Assert.Equal("row,id,label,score,flag,top_1,top_2,top_3", lines[0]);
        Assert.Equal(401, lines.Length);
        string[][] rows = [.. lines.Skip(1).Select(l => l.Split(','))];
        Assert.All(rows.Where(r => r[2] == "1"), r => Assert.Equal("1", r[4]));   // every planted row is flagged…
        string[] top = [.. rows.OrderByDescending(r => double.Parse(r[3], CultureInfo.InvariantCulture)).Take(4).Select(r => r[1])];
        Assert.Equal(["137", "237", "337", "37"], top.Order());                   // …and they score highest
        Assert.Equal(Enumerable.Range(1, 400).Select(i => i.ToString(CultureInfo.InvariantCulture)), rows.Select(r => r[0]));

        CliResult evaluate = CliRunner.Run(_dir, "detect", "evaluate", "--data", table, "--label-column", "label", "--exclude", "id", "--seeds", "2", "--members", "3", "--json");
        Assert.True(evaluate.ExitCode == 0, evaluate.Stderr);
        using JsonDocument result = JsonDocument.Parse(evaluate.Stdout);
        JsonElement root = result.RootElement;
        Assert.True(root.GetProperty("roc_auc").GetDouble() > 0.9, evaluate.Stdout);
        Assert.True(root.GetProperty("pr_auc").GetDouble() > 0.9, evaluate.Stdout);   // chance is the anomaly share, 0.01
        double[] rocAucs = [.. root.GetProperty("per_seed").EnumerateArray().Select(s => s.GetProperty("roc_auc").GetDouble())];
        double[] prAucs = [.. root.GetProperty("per_seed").EnumerateArray().Select(s => s.GetProperty("pr_auc").GetDouble())];
        Assert.Equal(2, rocAucs.Length);
        Assert.Equal(rocAucs.Average(), root.GetProperty("roc_auc").GetDouble(), 9);   // the summary is the mean and
        Assert.Equal(prAucs.Average(), root.GetProperty("pr_auc").GetDouble(), 9);     // population std of the seeds
        Assert.Equal(Math.Sqrt(rocAucs.Average(a => (a - rocAucs.Average()) * (a - rocAucs.Average()))), root.GetProperty("roc_auc_std").GetDouble(), 9);
    }

    [Fact]
    public void AMissingCellIsRefusedNamingItsRowAndColumnAndNothingIsWritten()
    {
        string table = WriteTable("holes.csv", (i, line) => i == 41 ? line.Replace(",1,", ",,", StringComparison.Ordinal) : line);
        CliRunner.AssertCleanFailure(CliRunner.Run(_dir, "detect", "fit", "--data", table, "--out", File("d.safetensors"), "--exclude", "id,label"),
            "Data row 42, column 'constant' is missing");
        Assert.False(System.IO.File.Exists(File("d.safetensors")));
    }

    [Fact]
    public void ScoringAFileWithOtherColumnsIsRefusedAndNothingIsWritten()
    {
        string detector = File("d.safetensors");
        Assert.Equal(0, CliRunner.Run(_dir, "detect", "fit", "--data", WriteTable(), "--out", detector, "--exclude", "id,label", "--members", "1", "--epochs", "2").ExitCode);
        string other = File("other.csv");
        System.IO.File.WriteAllText(other, "id,x,why,z,constant,shift\n1,0.5,1.5,0.25,1,day\n");
        CliResult result = CliRunner.Run(_dir, "detect", "score", "--detector", detector, "--data", other, "--out", File("scores.csv"));
        CliRunner.AssertCleanFailure(result, "it lacks 'y' and it has the unknown 'why'");
        Assert.Equal(1, result.ExitCode);
        Assert.False(System.IO.File.Exists(File("scores.csv")));

        CliRunner.AssertCleanFailure(CliRunner.Run(_dir, "detect", "score", "--detector", other, "--data", other, "--out", File("scores.csv")), "safetensors");
        Assert.False(System.IO.File.Exists(File("scores.csv")));
    }

    [Fact]
    public void CommandLineMistakesExitWithCodeTwoAndBadSettingsGetTheLibrarysMessage()
    {
        string table = WriteTable();
        CliResult both = CliRunner.Run(_dir, "detect", "fit", "--data", table, "--out", File("d.safetensors"), "--fpr", "0.01", "--threshold", "auto");
        CliRunner.AssertCleanFailure(both, "at most one of --contamination, --fpr and --threshold");
        Assert.Equal(2, both.ExitCode);
        CliResult badRate = CliRunner.Run(_dir, "detect", "fit", "--data", table, "--out", File("d.safetensors"), "--contamination", "1.5");
        CliRunner.AssertCleanFailure(badRate, "contamination must be a fraction");
        Assert.Equal(1, badRate.ExitCode);
        CliResult badTrim = CliRunner.Run(_dir, "detect", "fit", "--data", table, "--out", File("d.safetensors"), "--exclude", "id,label", "--trim", "0.95");
        CliRunner.AssertCleanFailure(badTrim, "TrimFraction (the trimmed share of each member's rows)");
        Assert.Equal(1, badTrim.ExitCode);
        Assert.False(System.IO.File.Exists(File("d.safetensors")));
    }
}
