using System.Text.Json;

namespace Latent.Cli.Tests;

/// <summary>`latent reduce`, `latent cluster` and `latent features` on the bundled digits.</summary>
public sealed class ReduceClusterFeaturesTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "latent-cli-tests", Guid.NewGuid().ToString("N"));

    public ReduceClusterFeaturesTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string File(string name) => Path.Combine(_dir, name);

    [Fact]
    public void ReduceWritesCodesAndAMapAndComparesWithPca()
    {
        CliResult result = CliRunner.Run(_dir, "reduce", "--data", "digits", "--dims", "2", "--method", "pca", "--out", File("codes.csv"), "--plot", File("map.svg"), "--json");
        Assert.True(result.ExitCode == 0, result.Stderr);
        using var json = JsonDocument.Parse(result.Stdout);
        Assert.True(json.RootElement.GetProperty("pca_mse").GetDouble() > 0);
        Assert.Equal("dim_1,dim_2,label", System.IO.File.ReadLines(File("codes.csv")).First());
        Assert.StartsWith("<svg", System.IO.File.ReadAllText(File("map.svg")));
        CliResult tooMany = CliRunner.Run(_dir, "reduce", "--data", "digits", "--dims", "100", "--out", File("x.csv"));
        CliRunner.AssertCleanFailure(tooMany, "between 1 and the 64 columns, not 100");
        Assert.Equal(1, tooMany.ExitCode);   // a value that does not fit the data is bad input
        Assert.Equal("", tooMany.Stdout);
        Assert.False(System.IO.File.Exists(File("x.csv")));
        CliRunner.AssertCleanFailure(CliRunner.Run(_dir, "reduce", "--data", "digits", "--dims", "1", "--method", "pca", "--out", File("x.csv"), "--plot", File("x.svg")), "--dims");
        Assert.False(System.IO.File.Exists(File("x.csv")));
    }

    [Fact]
    public void ClusterScoresAgainstTheLabels()
    {
        CliResult result = CliRunner.Run(_dir, "cluster", "--data", "digits", "-k", "10", "--hidden", "64", "--code", "8", "--epochs", "10", "--out", File("clusters.csv"), "--json");
        Assert.True(result.ExitCode == 0, result.Stderr);
        using var json = JsonDocument.Parse(result.Stdout);
        Assert.InRange(json.RootElement.GetProperty("accuracy").GetDouble(), 0.3, 1);
        Assert.InRange(json.RootElement.GetProperty("nmi").GetDouble(), 0.2, 1);
        Assert.Equal(1439, System.IO.File.ReadAllLines(File("clusters.csv")).Length);
    }

    [Fact]
    public void MoreClustersThanRowsAreRefusedBeforeTraining()
    {
        CliResult result = CliRunner.Run(_dir, "cluster", "--data", "digits", "-k", "2000", "--out", File("clusters.csv"));
        CliRunner.AssertCleanFailure(result, "Clustering into 2000 clusters needs at least 2000 rows, and the data has 1438.");
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Stdout);   // no training, not even its title
        Assert.False(System.IO.File.Exists(File("clusters.csv")));
    }

    [Fact]
    public void FeaturesCompareCodesWithPcaAndRawValues()
    {
        string model = File("ae.safetensors");
        Assert.Equal(0, CliRunner.Run(_dir, "train", "--data", "digits", "--out", model, "--epochs", "10", "--code", "10", "--json").ExitCode);
        CliResult result = CliRunner.Run(_dir, "features", "--model", model, "--data", "digits", "--labels", "200", "--json");
        Assert.True(result.ExitCode == 0, result.Stderr);
        using var json = JsonDocument.Parse(result.Stdout);
        foreach (string key in new[] { "autoencoder_accuracy", "pca_accuracy", "raw_accuracy" })
            Assert.InRange(json.RootElement.GetProperty(key).GetDouble(), 0.5, 1);
        CliRunner.AssertCleanFailure(CliRunner.Run(_dir, "features", "--model", model, "--data", "digits", "--labels", "1"), "--labels");
    }
}
