using System.Globalization;
using System.Text;

namespace Latent.Cli.Tests;

/// <summary>train, encode and reconstruct on small CSV files, and each kind of bad input they must refuse cleanly.</summary>
public sealed class TrainEncodeTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "latent-cli-tests", Guid.NewGuid().ToString("N"));

    public TrainEncodeTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string File(string name) => Path.Combine(_dir, name);

    /// <summary>200 rows: three correlated numeric columns and a categorical one, with a quoted header cell.</summary>
    private string WriteTable(string name = "table.csv")
    {
        var rng = new Random(1);
        var sb = new StringBuilder("x,y,\"z, scaled\",colour\n");
        for (int i = 0; i < 200; i++)
        {
            double t = rng.NextDouble() * 10;
            sb.Append(CultureInfo.InvariantCulture, $"{t:F3},{2 * t + rng.NextDouble():F3},{-t * 100:F1},{(t > 5 ? "red" : "blue")}\n");
        }
        System.IO.File.WriteAllText(File(name), sb.ToString());
        return File(name);
    }

    [Fact]
    public void TrainEncodeAndReconstructACsvWithACategoricalColumn()
    {
        string table = WriteTable(), model = File("m.safetensors");
        CliResult train = CliRunner.Run(_dir, "train", "--data", table, "--out", model, "--hidden", "8", "--code", "2", "--epochs", "30", "--batch-size", "32", "--json");
        Assert.True(train.ExitCode == 0, train.Stderr);
        Assert.Contains("\"reconstruction_mse\"", train.Stdout);

        CliResult encode = CliRunner.Run(_dir, "encode", "--model", model, "--data", table, "--out", File("codes.csv"));
        Assert.True(encode.ExitCode == 0, encode.Stderr);
        string[] codes = System.IO.File.ReadAllLines(File("codes.csv"));
        Assert.Equal("code_1,code_2", codes[0]);
        Assert.Equal(201, codes.Length);

        CliResult rebuilt = CliRunner.Run(_dir, "reconstruct", "--model", model, "--data", table, "--out", File("rebuilt.csv"));
        Assert.True(rebuilt.ExitCode == 0, rebuilt.Stderr);
        string[] rows = System.IO.File.ReadAllLines(File("rebuilt.csv"));
        Assert.Equal("x,y,\"z, scaled\",colour", rows[0]);
        Assert.All(rows.Skip(1), r => Assert.True(r.EndsWith(",red") || r.EndsWith(",blue"), r));
    }

    [Fact]
    public void AnIdColumnIsLeftOutByNameAndMayBeAbsentLater()
    {
        string[] lines = System.IO.File.ReadAllLines(WriteTable());
        System.IO.File.WriteAllLines(File("ids.csv"), lines.Select((l, i) => (i == 0 ? "id," : $"row-{i},") + l));
        string model = File("m.safetensors");
        CliResult train = CliRunner.Run(_dir, "train", "--data", File("ids.csv"), "--exclude", "id", "--out", model, "--hidden", "8", "--code", "2", "--epochs", "2");
        Assert.True(train.ExitCode == 0, train.Stderr);

        CliResult rebuilt = CliRunner.Run(_dir, "reconstruct", "--model", model, "--data", File("ids.csv"), "--out", File("rebuilt.csv"));
        Assert.True(rebuilt.ExitCode == 0, rebuilt.Stderr);
        Assert.Equal("x,y,\"z, scaled\",colour", System.IO.File.ReadLines(File("rebuilt.csv")).First());   // the id is no feature
        CliResult withoutIds = CliRunner.Run(_dir, "encode", "--model", model, "--data", File("table.csv"), "--out", File("codes.csv"));
        Assert.True(withoutIds.ExitCode == 0, withoutIds.Stderr);
    }

    [Fact]
    public void ShiftAugmentationTrainsOnImagesAndIsRefusedForTables()
    {
        CliResult train = CliRunner.Run(_dir, "train", "--data", "digits", "--shift", "1", "--epochs", "2", "--out", File("shifted.safetensors"), "--json");
        Assert.True(train.ExitCode == 0, train.Stderr);
        Assert.True(System.IO.File.Exists(File("shifted.safetensors")));

        CliRunner.AssertCleanFailure(CliRunner.Run(_dir, "train", "--data", WriteTable(), "--shift", "1", "--out", File("t.safetensors")), "table");
        CliRunner.AssertCleanFailure(CliRunner.Run(_dir, "train", "--data", "digits", "--shift", "8", "--out", File("d.safetensors")), "--shift");
        Assert.False(System.IO.File.Exists(File("t.safetensors")) || System.IO.File.Exists(File("d.safetensors")));
    }

    [Fact]
    public void AMissingDataFileIsRefusedAndNothingIsWritten()
    {
        CliRunner.AssertCleanFailure(CliRunner.Run(_dir, "train", "--data", File("nope.csv"), "--out", File("m.safetensors")), "nope.csv");
        Assert.Empty(Directory.GetFiles(_dir));
    }

    [Fact]
    public void ARowWithTheWrongNumberOfCellsIsRefused()
    {
        System.IO.File.WriteAllText(File("ragged.csv"), "a,b,c\n1,2,3\n4,5\n");
        CliRunner.AssertCleanFailure(CliRunner.Run(_dir, "train", "--data", File("ragged.csv"), "--out", File("m.safetensors")), "line 3");
        Assert.False(System.IO.File.Exists(File("m.safetensors")));
    }

    [Fact]
    public void ANonNumericCellInANumericColumnIsRefused()
    {
        string table = WriteTable();
        string[] lines = System.IO.File.ReadAllLines(table);
        lines[17] = "abc" + lines[17][lines[17].IndexOf(',')..];
        System.IO.File.WriteAllLines(table, lines);
        CliRunner.AssertCleanFailure(CliRunner.Run(_dir, "train", "--data", table, "--out", File("m.safetensors")), "'abc'");
        Assert.False(System.IO.File.Exists(File("m.safetensors")));
    }

    [Fact]
    public void AFileThatIsNotAModelIsRefused()
    {
        string table = WriteTable();
        CliRunner.AssertCleanFailure(CliRunner.Run(_dir, "encode", "--model", table, "--data", table, "--out", File("codes.csv")), "safetensors");
        Assert.False(System.IO.File.Exists(File("codes.csv")));
    }

    [Fact]
    public void DataWithOtherColumnsThanTheModelsIsRefused()
    {
        string table = WriteTable(), model = File("m.safetensors");
        Assert.Equal(0, CliRunner.Run(_dir, "train", "--data", table, "--out", model, "--epochs", "1").ExitCode);
        System.IO.File.WriteAllText(File("other.csv"), "x,y,w,colour\n1,2,3,red\n");
        CliRunner.AssertCleanFailure(CliRunner.Run(_dir, "encode", "--model", model, "--data", File("other.csv"), "--out", File("codes.csv")), "lacks 'z, scaled'");
        Assert.False(System.IO.File.Exists(File("codes.csv")));
    }

    [Fact]
    public void DatasetsListsTheKnownSetsAsJson()
    {
        CliResult result = CliRunner.Run(_dir, "datasets", "--json");
        Assert.Equal(0, result.ExitCode);
        using var doc = System.Text.Json.JsonDocument.Parse(result.Stdout);
        Assert.Contains(doc.RootElement.GetProperty("datasets").EnumerateArray(), d => d.GetProperty("name").GetString() == "digits");
    }
}
