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

        CliResult score = CliRunner.Run(_dir, "detect", "score", "--model", detector, "--data", table, "--out", scores, "--chunk-rows", "64");
        Assert.True(score.ExitCode == 0, score.Stderr);
        string[] lines = System.IO.File.ReadAllLines(scores);
        Assert.Equal("row,id,label,score,flag,top_1,top_1_share,top_2,top_2_share,top_3,top_3_share", lines[0]);
        Assert.Equal(401, lines.Length);
        string[][] rows = [.. lines.Skip(1).Select(l => l.Split(','))];
        Assert.All(rows.Where(r => r[2] == "1"), r => Assert.Equal("1", r[4]));   // every planted row is flagged…
        string[] top = [.. rows.OrderByDescending(r => double.Parse(r[3], CultureInfo.InvariantCulture)).Take(4).Select(r => r[1])];
        Assert.Equal(["137", "237", "337", "37"], top.Order());                   // …and they score highest
        Assert.Equal(rows.Select(r => r[1]), rows.Select(r => r[0]));   // the row number is the id: both count from 0

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
    public void ALabelColumnIsKeptOutOfTheContributionsAndEachTopColumnComesWithItsShare()
    {
        string table = WriteTable(), detector = File("d.safetensors"), scores = File("scores.csv");
        CliResult fit = CliRunner.Run(_dir, "detect", "fit", "--data", table, "--out", detector, "--label-column", "label", "--exclude", "id", "--members", "2", "--epochs", "20");
        Assert.True(fit.ExitCode == 0, fit.Stderr);
        CliResult score = CliRunner.Run(_dir, "detect", "score", "--model", detector, "--data", table, "--out", scores, "--top", "9");
        Assert.True(score.ExitCode == 0, score.Stderr);

        string[] lines = System.IO.File.ReadAllLines(scores);
        // Every column the detector scores is listed (x, y, z and shift; the constant column is dropped), never the label or the id.
        Assert.Equal("row,id,label,score,flag,top_1,top_1_share,top_2,top_2_share,top_3,top_3_share,top_4,top_4_share", lines[0]);
        foreach (string[] row in lines.Skip(1).Select(l => l.Split(',')))
        {
            string[] columns = [.. Enumerable.Range(0, 4).Select(k => row[5 + 2 * k])];
            double[] shares = [.. Enumerable.Range(0, 4).Select(k => double.Parse(row[6 + 2 * k], CultureInfo.InvariantCulture))];
            Assert.Equal(["shift", "x", "y", "z"], columns.Order());
            Assert.DoesNotContain("label", columns);
            Assert.DoesNotContain("id", columns);
            Assert.All(shares, s => Assert.InRange(s, 0, 1));
            Assert.Equal(shares.OrderDescending(), shares);
        }
    }

    [Fact]
    public void ScoringMatchesColumnsByNameInAnyOrder()
    {
        string table = WriteTable(), detector = File("d.safetensors");
        Assert.Equal(0, CliRunner.Run(_dir, "detect", "fit", "--data", table, "--out", detector, "--exclude", "id,label", "--members", "1", "--epochs", "3").ExitCode);
        int[] order = [6, 3, 5, 0, 2, 4, 1];   // label,z,shift,id,y,constant,x
        System.IO.File.WriteAllLines(File("shuffled.csv"), System.IO.File.ReadAllLines(table).Select(l => string.Join(',', order.Select(c => l.Split(',')[c]))));

        CliResult inOrder = CliRunner.Run(_dir, "detect", "score", "--model", detector, "--data", table, "--out", File("a.csv"));
        CliResult shuffled = CliRunner.Run(_dir, "detect", "score", "--model", detector, "--data", File("shuffled.csv"), "--out", File("b.csv"));
        Assert.True(inOrder.ExitCode == 0, inOrder.Stderr);
        Assert.True(shuffled.ExitCode == 0, shuffled.Stderr);
        string[] a = System.IO.File.ReadAllLines(File("a.csv")), b = System.IO.File.ReadAllLines(File("b.csv"));
        Assert.Equal("row,label,id,score", string.Join(',', b[0].Split(',').Take(4)));   // the left-out columns are echoed in file order
        Assert.Equal(a.Skip(1).Select(l => string.Join(',', l.Split(',').Skip(3))), b.Skip(1).Select(l => string.Join(',', l.Split(',').Skip(3))));   // same scores, flags, top columns
    }

    [Fact]
    public void AMissingCellIsRefusedNamingItsRowAndColumnAndNothingIsWritten()
    {
        string table = WriteTable("holes.csv", (i, line) => i == 41 ? line.Replace(",1,", ",,", StringComparison.Ordinal) : line);
        CliRunner.AssertCleanFailure(CliRunner.Run(_dir, "detect", "fit", "--data", table, "--out", File("d.safetensors"), "--exclude", "id,label"),
            "Data row 41, column 'constant' is missing");
        Assert.False(System.IO.File.Exists(File("d.safetensors")));
    }

    [Fact]
    public void ScoringAFileWithOtherColumnsIsRefusedAndNothingIsWritten()
    {
        string detector = File("d.safetensors");
        Assert.Equal(0, CliRunner.Run(_dir, "detect", "fit", "--data", WriteTable(), "--out", detector, "--exclude", "id,label", "--members", "1", "--epochs", "2").ExitCode);
        string other = File("other.csv");
        System.IO.File.WriteAllText(other, "id,x,why,z,constant,shift\n1,0.5,1.5,0.25,1,day\n");
        CliResult result = CliRunner.Run(_dir, "detect", "score", "--model", detector, "--data", other, "--out", File("scores.csv"));
        CliRunner.AssertCleanFailure(result, "it lacks 'y' and it has the unknown 'why'");
        Assert.Equal(1, result.ExitCode);
        Assert.False(System.IO.File.Exists(File("scores.csv")));

        CliRunner.AssertCleanFailure(CliRunner.Run(_dir, "detect", "score", "--model", other, "--data", other, "--out", File("scores.csv")), "safetensors");
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

    [Fact]
    public void LstmAutoencodersScoreTheWindowsOfASeries()
    {
        var sb = new StringBuilder("time,value,label\n");
        for (int t = 0; t < 300; t++)
            sb.Append(CultureInfo.InvariantCulture, $"2024-01-01T{t / 60:D2}:{t % 60:D2},{(t is >= 250 and < 260 ? 9 : Math.Sin(t / 4.0)):F4},{(t is >= 250 and < 260 ? 1 : 0)}\n");
        System.IO.File.WriteAllText(File("series.csv"), sb.ToString());
        string detector = File("lstm.safetensors"), scores = File("scores.csv");
        CliResult fit = CliRunner.Run(_dir, "detect", "fit", "--data", File("series.csv"), "--time-column", "time", "--exclude", "label", "--window", "12",
            "--autoencoder", "lstm", "--members", "2", "--epochs", "5", "--hidden", "8", "--out", detector, "--json");
        Assert.True(fit.ExitCode == 0, fit.Stderr);
        CliResult score = CliRunner.Run(_dir, "detect", "score", "--model", detector, "--data", File("series.csv"), "--out", scores,
            "--label-column", "label", "--report", File("series.html"));
        Assert.True(score.ExitCode == 0, score.Stderr);
        Assert.Equal(301, System.IO.File.ReadAllLines(scores).Length);
        string page = System.IO.File.ReadAllText(File("series.html"));
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(page, "<svg").Count);   // the values and the scores
        Assert.Contains("labelled anomaly", page);
        Assert.Contains("labelled stretches hit", page);
        CliResult noWindow = CliRunner.Run(_dir, "detect", "fit", "--data", File("series.csv"), "--time-column", "time", "--autoencoder", "lstm", "--out", File("no.safetensors"));
        Assert.Equal(2, noWindow.ExitCode);
        Assert.Contains("--autoencoder lstm needs --window", noWindow.Stderr);
    }
}
