using System.Globalization;
using System.Text;
using Latent.Applications.Search;
using Latent.Cli.Terminal;
using Latent.Cli.Verbs;
using Latent.Models;

namespace Latent.Cli.Tests;

/// <summary>
/// Messages that tell the truth in plain English: no .NET names, options that exist, a folder called a folder, right
/// articles and plurals, and the exit code that fits the mistake (2 for the command line, 1 for the data).
/// </summary>
public sealed class MessagesTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "latent-cli-tests", Guid.NewGuid().ToString("N"));

    public MessagesTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string File(string name) => Path.Combine(_dir, name);

    private static void AssertUsage(CliResult result, string expected)
    {
        CliRunner.AssertCleanFailure(result, expected);
        Assert.Equal(2, result.ExitCode);
        Assert.DoesNotContain("System.", result.Stderr);
        Assert.DoesNotContain("expected type", result.Stderr);
    }

    [Fact]
    public void UnparsableValuesSayWhatTheOptionTakes()
    {
        AssertUsage(CliRunner.Run(_dir, "demo", "--epochs", "abc"), "--epochs must be a whole number, not 'abc'");
        AssertUsage(CliRunner.Run(_dir, "train", "--data", "digits", "--out", File("m.safetensors"), "--learning-rate", "fast"), "--learning-rate must be a number, not 'fast'");
        AssertUsage(CliRunner.Run(_dir, "train", "--data", "digits", "--out", File("m.safetensors"), "--seed", "-1"), "--seed must be a whole number of 0 or more, not '-1'");
        AssertUsage(CliRunner.Run(_dir, "search", "--db", File("x.db"), "--row", "1.5"), "--row must be a whole number, not '1.5'");
        AssertUsage(CliRunner.Run(_dir, "train", "--data", "digits", "--out", File("m.safetensors"), "--kind", "cnn"), "--kind must be one of dense, conv, unet, vae, not 'cnn'");
        AssertUsage(CliRunner.Run(_dir, "train", "--data", "digits"), "--out is required");
        AssertUsage(CliRunner.Run(_dir, "demo", "--epochs"), "--epochs needs a value");
    }

    [Fact]
    public void AFolderGivenAsAFileIsCalledAFolder()
    {
        string folder = File("models");
        Directory.CreateDirectory(folder);
        CliRunner.AssertCleanFailure(CliRunner.Run(_dir, "encode", "--model", folder, "--data", "digits", "--out", File("codes.csv")), $"'{folder}' is a folder, not a model file");
        CliRunner.AssertCleanFailure(CliRunner.Run(_dir, "impute", "--data", folder, "--out", File("filled.csv")), $"'{folder}' is a folder, not a file");
        CliRunner.AssertCleanFailure(CliRunner.Run(_dir, "search", "--db", folder, "--row", "0"), $"'{folder}' is a folder, not an index file");
    }

    [Fact]
    public void DivergenceSuggestsAnOptionThatExistsAndKeepsTheLastGoodWeights()
    {
        // Values in the thousands and an absurd learning rate: the loss overflows within a few epochs.
        var csv = new StringBuilder("a,b,c,d\n");
        for (int r = 0; r < 200; r++)
            csv.AppendLine(string.Join(',', Enumerable.Range(0, 4).Select(c => (1000 * Math.Sin(4 * r + c)).ToString("F3", CultureInfo.InvariantCulture))));
        System.IO.File.WriteAllText(File("big.csv"), csv.ToString());
        CliResult result = CliRunner.Run(_dir, "train", "--data", File("big.csv"), "--out", File("m.safetensors"), "--learning-rate", "70", "--epochs", "30");
        CliRunner.AssertCleanFailure(result, "Training diverged at epoch");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Try a lower --learning-rate than 70.", result.Stderr);
        Assert.DoesNotContain("clipping", result.Stderr);
        Assert.False(System.IO.File.Exists(File("m.safetensors")));   // the diverged model is not the trained one
        string kept = File("m.last-good.safetensors");
        if (result.Stderr.Contains("Nothing was saved", StringComparison.Ordinal)) Assert.False(System.IO.File.Exists(kept));
        else
        {
            Assert.Contains($"saved in '{kept}'", result.Stderr);
            Assert.Equal(0, CliRunner.Run(_dir, "encode", "--model", kept, "--data", File("big.csv"), "--out", File("codes.csv")).ExitCode);
        }
    }

    [Fact]
    public void OneIsSingular()
    {
        CliResult result = CliRunner.Run(_dir, "noise", "--data", "digits", "--count", "1", "--out", File("one"));
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("Wrote 1 clean image to", result.Stdout);
        Assert.Contains("and its noisy copy", result.Stdout);
    }

    [Fact]
    public void ValuesThatDoNotFitTheDataAreBadInputNotUsage()
    {
        System.IO.File.WriteAllText(File("small.csv"), "a,b\n1,2\n3,4\n5,6\n");
        CliResult cluster = CliRunner.Run(_dir, "cluster", "--data", File("small.csv"), "-k", "5");
        CliRunner.AssertCleanFailure(cluster, "at most the 3 rows");
        Assert.Equal(1, cluster.ExitCode);
        CliResult reduce = CliRunner.Run(_dir, "reduce", "--data", File("small.csv"), "--dims", "3", "--out", File("r.csv"));
        CliRunner.AssertCleanFailure(reduce, "at most the 2 columns");
        Assert.Equal(1, reduce.ExitCode);
        CliResult shift = CliRunner.Run(_dir, "train", "--data", File("small.csv"), "--shift", "1", "--out", File("m.safetensors"));
        CliRunner.AssertCleanFailure(shift, "is a table");
        Assert.Equal(1, shift.ExitCode);
    }

    [Fact]
    public void JsonWritesANumberThatIsNotFiniteAsNull() =>
        Assert.Equal("""{"loss":null,"mse":null,"epochs":3}""", JsonOutput.Format(new { loss = double.NaN, mse = float.PositiveInfinity, epochs = 3 }));

    [Fact]
    public void AnAutomaticCodeSizeSaysWhyItWasChosenTruthfully()
    {
        CodeSizeTrial[] rising = [new(32, 0.70), new(64, 0.74), new(128, 0.78)];
        string largest = IndexCommand.DescribeChoice(new IndexModelResult(Model(128), rising, "precision@10 by label") { StillImproving = true }, 0.01);
        Assert.Contains("code size 128, the largest size tried", largest);
        Assert.Contains("still rising (0.740 → 0.780)", largest);
        Assert.DoesNotContain("stops improving", largest);

        CodeSizeTrial[] levelled = [new(8, 0.70), new(16, 0.80), new(32, 0.805)];
        string chosen = IndexCommand.DescribeChoice(new IndexModelResult(Model(16), levelled, "precision@10 by label") { StillImproving = false }, 0.01);
        Assert.Equal("Chose code size 16: doubling it to 32 raised precision@10 by label by less than 0.01 (0.800 → 0.805).", chosen);
    }

    private static DenseAutoencoder Model(int codeSize) => new(new DenseAutoencoderConfig { Inputs = 256, Hidden = [], CodeSize = codeSize });
}
