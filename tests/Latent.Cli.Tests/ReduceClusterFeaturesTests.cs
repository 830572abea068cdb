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
        CliRunner.AssertCleanFailure(tooMany, "The reduced size must be at most the 64 columns, not 100.");
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
        Assert.Equal(10, json.RootElement.GetProperty("embed").GetInt32());   // the default recipe: a 10-d neighbour embedding and a mixture
    }

    [Fact]
    public void DecAndAnEmbeddingAreRefusedTogether()
    {
        CliResult result = CliRunner.Run(_dir, "cluster", "--data", "digits", "--refine", "dec", "--embed", "5");
        Assert.Equal(2, result.ExitCode);
        CliRunner.AssertCleanFailure(result, "--refine dec clusters the codes themselves, so it cannot be combined with --embed.");
    }

    [Fact]
    public void AReducerSavedByOneRunGivesTheSameCodesInAnother()
    {
        string model = File("reducer.safetensors");
        CliResult fit = CliRunner.Run(_dir, "reduce", "--data", "digits", "--dims", "3", "--epochs", "3", "--out", File("fit.csv"), "--save", model, "--json");
        Assert.True(fit.ExitCode == 0, fit.Stderr);
        CliResult apply = CliRunner.Run(_dir, "reduce", "--model", model, "--data", "digits", "--out", File("apply.csv"), "--json");
        Assert.True(apply.ExitCode == 0, apply.Stderr);
        Assert.Equal(System.IO.File.ReadAllText(File("fit.csv")), System.IO.File.ReadAllText(File("apply.csv")));
        using JsonDocument fitted = JsonDocument.Parse(fit.Stdout), applied = JsonDocument.Parse(apply.Stdout);
        Assert.Equal(fitted.RootElement.GetProperty("reconstruction_mse").GetDouble(), applied.RootElement.GetProperty("reconstruction_mse").GetDouble());

        Assert.Equal(0, CliRunner.Run(_dir, "reduce", "--model", model, "--data", "digits", "--split", "test", "--out", File("test.csv")).ExitCode);
        Assert.Equal(360, System.IO.File.ReadAllLines(File("test.csv")).Length);
        CliResult refused = CliRunner.Run(_dir, "reduce", "--model", model, "--data", "digits", "--dims", "2", "--out", File("x.csv"));
        Assert.Equal(2, refused.ExitCode);
        CliRunner.AssertCleanFailure(refused, "--dims is a setting for fitting");
    }

    [Fact]
    public void AClustererSavedByOneRunAssignsTheSameClustersInAnother()
    {
        string model = File("clusterer.safetensors");
        CliResult fit = CliRunner.Run(_dir, "cluster", "--data", "digits", "-k", "6", "--hidden", "32", "--code", "6", "--epochs", "3", "--refine", "dec",
            "--out", File("fit.csv"), "--save", model, "--json");
        Assert.True(fit.ExitCode == 0, fit.Stderr);
        CliResult apply = CliRunner.Run(_dir, "cluster", "--model", model, "--data", "digits", "--out", File("apply.csv"), "--json");
        Assert.True(apply.ExitCode == 0, apply.Stderr);
        Assert.Equal(System.IO.File.ReadAllText(File("fit.csv")), System.IO.File.ReadAllText(File("apply.csv")));
        using JsonDocument fitted = JsonDocument.Parse(fit.Stdout), applied = JsonDocument.Parse(apply.Stdout);
        Assert.Equal(fitted.RootElement.GetProperty("nmi").GetDouble(), applied.RootElement.GetProperty("nmi").GetDouble());
        Assert.Equal("dec", applied.RootElement.GetProperty("refine").GetString());

        CliResult refused = CliRunner.Run(_dir, "cluster", "--model", model, "--data", "digits", "--clusters", "3");
        Assert.Equal(2, refused.ExitCode);
        CliRunner.AssertCleanFailure(refused, "--clusters is a setting for fitting");
    }

    [Fact]
    public void MoreClustersThanRowsAreRefusedBeforeTraining()
    {
        CliResult result = CliRunner.Run(_dir, "cluster", "--data", "digits", "-k", "2000", "--out", File("clusters.csv"));
        CliRunner.AssertCleanFailure(result, "Cannot make 2,000 clusters from fewer rows: the number of clusters must be at most the 1,438 rows.");
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
        foreach (string key in new[] { "autoencoder_accuracy", "embedded_accuracy", "pca_accuracy", "raw_accuracy" })
            Assert.InRange(json.RootElement.GetProperty(key).GetDouble(), 0.5, 1);
        Assert.Equal(10, json.RootElement.GetProperty("embed").GetInt32());   // the recommended embedding, by default

        CliResult plain = CliRunner.Run(_dir, "features", "--model", model, "--data", "digits", "--labels", "200", "--embed", "0", "--json");
        Assert.True(plain.ExitCode == 0, plain.Stderr);
        using var plainJson = JsonDocument.Parse(plain.Stdout);
        Assert.Equal(JsonValueKind.Null, plainJson.RootElement.GetProperty("embedded_accuracy").ValueKind);
        Assert.Equal(json.RootElement.GetProperty("autoencoder_accuracy").GetDouble(), plainJson.RootElement.GetProperty("autoencoder_accuracy").GetDouble());
        CliRunner.AssertCleanFailure(CliRunner.Run(_dir, "features", "--model", model, "--data", "digits", "--labels", "1"), "--labels");
        CliRunner.AssertCleanFailure(CliRunner.Run(_dir, "features", "--model", model, "--data", "digits", "--embed", "-2"), "--embed");
    }
}
