using System.Globalization;
using System.Text;
using System.Text.Json;
using Latent.Applications.Recommendation;

namespace Latent.Cli.Tests;

/// <summary>`latent recommend fit|top|evaluate` on small rating files, and the bad input they must refuse cleanly.</summary>
public sealed class RecommendTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "latent-cli-tests", Guid.NewGuid().ToString("N"));

    public RecommendTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string File(string name) => Path.Combine(_dir, name);

    /// <summary>A MovieLens-style file (user, item, rating, time; tab-separated) of 30 users × 20 items with two tastes; every third cell rated.</summary>
    private string WriteRatings(string name, int part)
    {
        var sb = new StringBuilder();
        for (int u = 1; u <= 30; u++)
            for (int i = 1; i <= 20; i++)
                if ((u + i) % 3 == part) sb.Append(CultureInfo.InvariantCulture, $"{u}\t{i}\t{(i % 2 == u % 2 ? 5 : 1 + (u + i) % 2)}\t{880000000 + u * 20 + i}\n");
        System.IO.File.WriteAllText(File(name), sb.ToString());
        return File(name);
    }

    [Fact]
    public void FitThenTopListsUnseenItemsAsTheLibraryDoes()
    {
        string ratings = WriteRatings("u.data", part: 0), model = File("rec.safetensors");
        CliResult fit = CliRunner.Run(_dir, "recommend", "fit", "--ratings", ratings, "--out", model, "--epochs", "5", "--json");
        Assert.True(fit.ExitCode == 0, fit.Stderr);
        using (JsonDocument json = JsonDocument.Parse(fit.Stdout))
            Assert.Equal(30, json.RootElement.GetProperty("users").GetInt32());

        CliResult top = CliRunner.Run(_dir, "recommend", "top", "--model", model, "--user", "4", "-n", "3", "--json");
        Assert.True(top.ExitCode == 0, top.Stderr);
        using JsonDocument listed = JsonDocument.Parse(top.Stdout);
        string[] items = [.. listed.RootElement.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("item").GetString()!)];
        Recommender library = Recommender.Open(model);
        Assert.Equal(library.TopN("4", 3).Select(r => r.Item), items);
        string[] seen = [.. System.IO.File.ReadAllLines(ratings).Select(l => l.Split('\t')).Where(f => f[0] == "4").Select(f => f[1])];
        Assert.DoesNotContain(items, seen.Contains);

        CliResult text = CliRunner.Run(_dir, "recommend", "top", "--model", model, "--user", "nobody");
        Assert.True(text.ExitCode == 0, text.Stderr);
        Assert.Contains("has no ratings in the training data", text.Stdout);
    }

    [Fact]
    public void ImplicitFeedbackRanksWithCdae()
    {
        string ratings = WriteRatings("u.data", part: 2), model = File("clicks.safetensors");
        CliResult fit = CliRunner.Run(_dir, "recommend", "fit", "--data", ratings, "--implicit", "--out", model, "--epochs", "3", "--json");
        Assert.True(fit.ExitCode == 0, fit.Stderr);
        using (JsonDocument json = JsonDocument.Parse(fit.Stdout))
            Assert.Equal("implicit", json.RootElement.GetProperty("feedback").GetString());
        Assert.Equal(Feedback.Implicit, Recommender.Open(model).Options.Feedback);
        CliResult top = CliRunner.Run(_dir, "recommend", "top", "--model", model, "--user", "7", "-n", "2");
        Assert.True(top.ExitCode == 0, top.Stderr);
        Assert.Equal(3, top.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);   // a header and two items
    }

    [Fact]
    public void EvaluateReportsErrorsAndRankingAsJson()
    {
        string train = WriteRatings("u1.base", part: 0), test = WriteRatings("u1.test", part: 1);
        CliResult result = CliRunner.Run(_dir, "recommend", "evaluate", "--train", train, "--test", test, "--epochs", "3", "--json");
        Assert.True(result.ExitCode == 0, result.Stderr);
        using JsonDocument json = JsonDocument.Parse(result.Stdout);
        JsonElement root = json.RootElement;
        foreach (string key in new[] { "rmse", "mae", "mf_rmse", "baseline_rmse", "global_mean_rmse" })
            Assert.InRange(root.GetProperty(key).GetDouble(), 0, 4);
        foreach (string ranking in new[] { "cdae", "mf_ranking", "popularity" })
            Assert.InRange(root.GetProperty(ranking).GetProperty("ndcg").GetDouble(), 0, 1);
        Assert.Equal(30, root.GetProperty("popularity").GetProperty("users").GetInt32());
    }

    [Fact]
    public void BadInputIsRefusedCleanly()
    {
        string ratings = WriteRatings("u.data", part: 0), model = File("rec.safetensors");
        System.IO.File.WriteAllText(File("bad.data"), "1\t2\t5\t0\n1\t3\tfive\t0\n");
        CliRunner.AssertCleanFailure(CliRunner.Run(_dir, "recommend", "fit", "--ratings", File("bad.data"), "--out", model), "line 2");
        Assert.False(System.IO.File.Exists(model));
        CliRunner.AssertCleanFailure(CliRunner.Run(_dir, "recommend", "fit", "--ratings", File("absent.data"), "--out", model), "absent.data");
        CliResult unknown = CliRunner.Run(_dir, "recommend", "fit", "--ratings", ratings, "--out", model, "--colour", "red");
        Assert.Equal(2, unknown.ExitCode);
        CliResult zero = CliRunner.Run(_dir, "recommend", "fit", "--ratings", ratings, "--out", model, "--epochs", "0");
        Assert.Equal(2, zero.ExitCode);
        CliRunner.AssertCleanFailure(zero, "--epochs");

        Assert.Equal(0, CliRunner.Run(_dir, "recommend", "fit", "--ratings", ratings, "--out", model, "--epochs", "2").ExitCode);
        CliRunner.AssertCleanFailure(CliRunner.Run(_dir, "recommend", "fit", "--ratings", ratings, "--out", model), "--force");
        CliResult none = CliRunner.Run(_dir, "recommend", "top", "--model", model, "--user", "4", "-n", "0");
        Assert.Equal(2, none.ExitCode);
        CliRunner.AssertCleanFailure(none, "-n must be at least 1");
        CliRunner.AssertCleanFailure(CliRunner.Run(_dir, "recommend", "top", "--model", ratings, "--user", "4"), "u.data");
    }
}
