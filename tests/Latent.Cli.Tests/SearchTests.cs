using System.Text.Json;
using Latent.Data;
using Latent.Imaging;

namespace Latent.Cli.Tests;

/// <summary>`latent index build`, `index add` and `search` on the bundled digits, and the failures they must report cleanly.</summary>
public sealed class SearchTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "latent-cli-tests", Guid.NewGuid().ToString("N"));

    public SearchTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string File(string name) => Path.Combine(_dir, name);

    private string TrainDigits(string name = "digits.safetensors", string seed = "0")
    {
        CliResult train = CliRunner.Run(_dir, "train", "--data", "digits", "--out", File(name), "--hidden", "32", "--code", "8", "--epochs", "5", "--seed", seed, "--json");
        Assert.True(train.ExitCode == 0, train.Stderr);
        return File(name);
    }

    private static JsonElement Json(CliResult result)
    {
        Assert.True(result.ExitCode == 0, result.Stderr);
        return JsonDocument.Parse(result.Stdout).RootElement;
    }

    [Fact]
    public void BuildAddAndSearchAnIndexOfTheDigits()
    {
        string model = TrainDigits(), db = File("digits.db");
        JsonElement built = Json(CliRunner.Run(_dir, "index", "build", "--model", model, "--data", "digits", "--db", db, "--json"));
        Assert.Equal(1438, built.GetProperty("items").GetInt32());

        JsonElement found = Json(CliRunner.Run(_dir, "search", "--db", db, "--row", "17", "-k", "4", "--json"));
        JsonElement[] neighbours = [.. found.GetProperty("neighbours").EnumerateArray()];
        Assert.Equal(4, neighbours.Length);
        Assert.Equal("digits-train:17", neighbours[0].GetProperty("id").GetString());
        Assert.Equal(0, neighbours[0].GetProperty("distance").GetDouble(), 1e-4);
        Assert.Equal("17", neighbours[0].GetProperty("metadata").GetProperty("row").GetString());
        Assert.True(neighbours[1].GetProperty("distance").GetDouble() <= neighbours[3].GetProperty("distance").GetDouble());
        foreach (string mode in new[] { "quantized", "approximate" })   // the same neighbours by the quantised scan and by the graph
        {
            JsonElement other = Json(CliRunner.Run(_dir, "search", "--db", db, "--row", "17", "-k", "4", "--mode", mode, "--json"));
            Assert.Equal(neighbours.Select(n => n.GetProperty("id").GetString()), other.GetProperty("neighbours").EnumerateArray().Select(n => n.GetProperty("id").GetString()));
        }
        CliResult unknown = CliRunner.Run(_dir, "search", "--db", db, "--row", "17", "--mode", "fast");
        CliRunner.AssertCleanFailure(unknown, "--mode");
        Assert.Equal(2, unknown.ExitCode);

        JsonElement added = Json(CliRunner.Run(_dir, "index", "add", "--db", db, "--data", "digits", "--split", "test", "--json"));
        Assert.Equal(1797, added.GetProperty("items").GetInt32());
        CliResult table = CliRunner.Run(_dir, "search", "--db", db, "--row", "5", "--split", "test", "-k", "3", "--metric", "euclidean");
        Assert.True(table.ExitCode == 0, table.Stderr);
        string[] lines = table.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("rank  id", lines[1]);
        Assert.Contains("digits-test:5", lines[2]);
        Assert.Equal(5, lines.Length);

        CliRunner.AssertCleanFailure(CliRunner.Run(_dir, "index", "add", "--db", db, "--data", "digits", "--split", "test"), "already holds an item with id 'digits-test:0'");
        Assert.Equal(1797, Json(CliRunner.Run(_dir, "search", "--db", db, "--row", "0", "--json")).GetProperty("items").GetInt32());
    }

    [Fact]
    public void SearchByRowUsesTheSplitTheIndexWasBuiltFrom()
    {
        string model = TrainDigits(), db = File("test.db");
        Json(CliRunner.Run(_dir, "index", "build", "--model", model, "--data", "digits", "--split", "test", "--db", db, "--json"));
        JsonElement hit = Json(CliRunner.Run(_dir, "search", "--db", db, "--row", "5", "-k", "1", "--json")).GetProperty("neighbours")[0];
        Assert.Equal("digits-test:5", hit.GetProperty("id").GetString());
        Assert.Equal(0, hit.GetProperty("distance").GetDouble(), 1e-4);
        JsonElement other = Json(CliRunner.Run(_dir, "search", "--db", db, "--row", "5", "--split", "train", "-k", "1", "--json"));
        Assert.Equal("row 5 of digits-train", other.GetProperty("query").GetString());
    }

    [Fact]
    public void PngFilesAreIndexedAndQueried()
    {
        string model = TrainDigits();
        Dataset digits = Datasets.Load("digits", Split.Test);
        for (int i = 0; i < 40; i++)
        {
            string folder = Path.Combine(_dir, "images", $"digit{digits.Labels![i]}");
            Directory.CreateDirectory(folder);
            PngWriter.Write(Path.Combine(folder, $"{i}.png"), digits.Features.Span.Slice(i * 64, 64), 8, 8, PngColor.Gray);
        }
        string db = File("images.db");
        Assert.Equal(40, Json(CliRunner.Run(_dir, "index", "build", "--model", model, "--data", File("images"), "--db", db, "--json")).GetProperty("items").GetInt32());
        string query = Path.Combine(_dir, "images", $"digit{digits.Labels![7]}", "7.png");
        JsonElement hit = Json(CliRunner.Run(_dir, "search", "--db", db, "--query", query, "-k", "1", "--json")).GetProperty("neighbours")[0];
        Assert.Equal($"digit{digits.Labels![7]}/7.png", hit.GetProperty("id").GetString());
        Assert.Equal($"digit{digits.Labels![7]}", hit.GetProperty("metadata").GetProperty("label").GetString());
    }

    [Fact]
    public void AColourPhotoIsRefusedByAGrayIndexUnlessConverted()
    {
        string model = TrainDigits(), db = File("digits.db");
        Assert.Equal(0, CliRunner.Run(_dir, "index", "build", "--model", model, "--data", "digits", "--db", db).ExitCode);
        var photo = new byte[12 * 10 * 3];
        for (int i = 0; i < photo.Length; i++) photo[i] = (byte)(i * 7);
        PngWriter.Write(File("photo.png"), photo, 12, 10, PngColor.Rgb);

        CliResult refused = CliRunner.Run(_dir, "search", "--db", db, "--query", File("photo.png"));
        CliRunner.AssertCleanFailure(refused, "is a 12×10 colour image but the model takes 8×8 gray images");
        Assert.Equal(1, refused.ExitCode);
        Assert.Equal("", refused.Stdout);

        CliResult converted = CliRunner.Run(_dir, "search", "--db", db, "--query", File("photo.png"), "--resize", "-k", "1");
        Assert.True(converted.ExitCode == 0, converted.Stderr);
        Assert.StartsWith($"Converted {File("photo.png")} from 12×10 colour to the model's 8×8 gray (--resize).", converted.Stdout);
    }

    [Fact]
    public void AConvolutionalModelEncodesIndexesAndSearchesTheDigits()
    {
        string conv = File("conv.safetensors"), db = File("conv.db");
        CliResult train = CliRunner.Run(_dir, "train", "--kind", "conv", "--data", "digits", "--filters", "8,4", "--epochs", "1", "--out", conv, "--json");
        Assert.True(train.ExitCode == 0, train.Stderr);
        CliResult encode = CliRunner.Run(_dir, "encode", "--model", conv, "--data", "digits", "--out", File("codes.csv"));
        Assert.True(encode.ExitCode == 0, encode.Stderr);
        Assert.Equal(1439, System.IO.File.ReadAllLines(File("codes.csv")).Length);

        JsonElement built = Json(CliRunner.Run(_dir, "index", "build", "--model", conv, "--data", "digits", "--db", db, "--json"));
        Assert.Equal(1438, built.GetProperty("items").GetInt32());
        JsonElement hit = Json(CliRunner.Run(_dir, "search", "--db", db, "--row", "3", "-k", "1", "--json")).GetProperty("neighbours")[0];
        Assert.Equal("digits-train:3", hit.GetProperty("id").GetString());
        CliRunner.AssertCleanFailure(CliRunner.Run(_dir, "search", "--db", db, "--row", "3", "--model", TrainDigits()), "another model");
    }

    [Fact]
    public void LatentAutoTrainsTheModelAndChoosesItsCodeSize()
    {
        string db = File("auto.db");
        JsonElement built = Json(CliRunner.Run(_dir, "index", "build", "--latent", "auto", "--hidden", "32", "--epochs", "3", "--data", "digits", "--db", db, "--json"));
        JsonElement[] trials = [.. built.GetProperty("code_size_search").GetProperty("trials").EnumerateArray()];
        Assert.True(trials.Length >= 2);
        Assert.Equal(2, trials[0].GetProperty("code_size").GetInt32());
        int chosen = built.GetProperty("code_size").GetInt32();
        Assert.Contains(trials, t => t.GetProperty("code_size").GetInt32() == chosen);
        Assert.True(System.IO.File.Exists(File("auto.safetensors")));
        Assert.Equal("digits-train:2", Json(CliRunner.Run(_dir, "search", "--db", db, "--row", "2", "-k", "1", "--json")).GetProperty("neighbours")[0].GetProperty("id").GetString());
    }

    [Fact]
    public void SearchWritesTheQueryAndEachNeighbourAsAnImage()
    {
        string model = TrainDigits(), db = File("digits.db"), folder = File("neighbours");
        Assert.Equal(0, CliRunner.Run(_dir, "index", "build", "--model", model, "--data", "digits", "--db", db).ExitCode);
        JsonElement found = Json(CliRunner.Run(_dir, "search", "--db", db, "--row", "17", "-k", "4", "--out", folder, "--json"));

        string[] files = [.. Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];
        Assert.Equal(5, files.Length);
        Assert.Equal("1-row-17.png", files[0]);
        Assert.Equal("query.png", files[^1]);
        Assert.Equal(5, found.GetProperty("files").GetArrayLength());
        float[] row = Datasets.Load("digits", Split.Train).Row(17), written = PngReader.Read(Path.Combine(folder, "1-row-17.png")).ToFloats(1);
        for (int i = 0; i < row.Length; i++) Assert.Equal(row[i], written[i], 1 / 255f);
        Assert.Equal(written, PngReader.Read(Path.Combine(folder, "query.png")).ToFloats(1));

        string aFile = Path.Combine(_dir, "notes.txt");
        System.IO.File.WriteAllText(aFile, "not a folder");
        CliResult onAFile = CliRunner.Run(_dir, "search", "--db", db, "--row", "1", "--out", aFile);
        Assert.Equal(1, onAFile.ExitCode);
        CliRunner.AssertCleanFailure(onAFile, "is a file");
    }

    [Fact]
    public void SearchWritesTheNeighboursRowsOfATableAsTheyAre()
    {
        var csv = new System.Text.StringBuilder("size,colour,label\n");
        for (int i = 0; i < 40; i++) csv.Append(System.Globalization.CultureInfo.InvariantCulture, $"{i % 10}.50,{(i % 2 == 0 ? "red" : "blue")},{i % 3}\n");
        System.IO.File.WriteAllText(File("t.csv"), csv.ToString());
        string model = File("t.safetensors"), db = File("t.db");
        Assert.Equal(0, CliRunner.Run(_dir, "train", "--data", File("t.csv"), "--label-column", "label", "--out", model, "--epochs", "2", "--code", "2", "--json").ExitCode);
        Assert.Equal(0, CliRunner.Run(_dir, "index", "build", "--model", model, "--data", File("t.csv"), "--label-column", "label", "--db", db).ExitCode);
        JsonElement found = Json(CliRunner.Run(_dir, "search", "--db", db, "--row", "3", "-k", "2", "--label-column", "label", "--out", File("nb"), "--json"));

        string[] lines = System.IO.File.ReadAllLines(File("nb/neighbours.csv")), source = System.IO.File.ReadAllLines(File("t.csv"));
        Assert.Equal(["rank,distance,size,colour,label", .. found.GetProperty("neighbours").EnumerateArray().Select(n =>
            $"{n.GetProperty("rank").GetInt32()},{Math.Round(n.GetProperty("distance").GetDouble(), 6).ToString(System.Globalization.CultureInfo.InvariantCulture)}," +
            source[1 + int.Parse(n.GetProperty("metadata").GetProperty("row").GetString()!, System.Globalization.CultureInfo.InvariantCulture)])], lines);
    }

    [Fact]
    public void AnIndexMovedTogetherWithItsModelStillSearches()
    {
        Directory.CreateDirectory(File("before"));
        string model = TrainDigits("before/digits.safetensors");
        Assert.Equal(0, CliRunner.Run(_dir, "index", "build", "--model", model, "--data", "digits", "--db", File("before/digits.db")).ExitCode);
        Directory.Move(File("before"), File("after"));
        JsonElement hit = Json(CliRunner.Run(_dir, "search", "--db", File("after/digits.db"), "--row", "3", "-k", "1", "--json")).GetProperty("neighbours")[0];
        Assert.Equal("digits-train:3", hit.GetProperty("id").GetString());
    }

    [Fact]
    public void BadIndexesAndQueriesAreRefusedCleanly()
    {
        string model = TrainDigits(), other = TrainDigits("other.safetensors", seed: "5"), db = File("d.db");
        Assert.Equal(0, CliRunner.Run(_dir, "index", "build", "--model", model, "--data", "digits", "--db", db).ExitCode);

        CliRunner.AssertCleanFailure(CliRunner.Run(_dir, "search", "--db", db, "--row", "1", "--model", other), "another model");
        CliRunner.AssertCleanFailure(CliRunner.Run(_dir, "index", "build", "--model", model, "--data", "digits", "--db", db), "exists; pass --force");
        Assert.Equal(2, CliRunner.Run(_dir, "search", "--db", db, "--row", "1", "--query", "x.png").ExitCode);
        CliRunner.AssertCleanFailure(CliRunner.Run(_dir, "search", "--db", db, "--row", "99999"), "--row must be between 0 and 1437");

        System.IO.File.WriteAllText(File("garbage.db"), new string('x', 5000));
        CliRunner.AssertCleanFailure(CliRunner.Run(_dir, "search", "--db", File("garbage.db"), "--row", "1", "--model", model), "not a Latent index");

        System.IO.File.WriteAllText(File("wide.csv"), "a,b,c\n1,2,3\n");
        CliRunner.AssertCleanFailure(CliRunner.Run(_dir, "search", "--db", db, "--query", File("wide.csv")), "64 values");
        CliRunner.AssertCleanFailure(CliRunner.Run(_dir, "index", "build", "--model", model, "--data", File("wide.csv"), "--db", File("wide.db")), "64 values");
        Assert.False(System.IO.File.Exists(File("wide.db")));
    }
}
