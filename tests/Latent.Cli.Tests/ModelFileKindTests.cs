using System.Reflection;
using Latent.Cli.Verbs;
using Latent.Models;

namespace Latent.Cli.Tests;

/// <summary>A model file given to a verb that does not use it says what it is and which verb does.</summary>
public sealed class ModelFileKindTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "latent-cli-tests", Guid.NewGuid().ToString("N"));

    public ModelFileKindTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void AnImputerGivenToEncodeNamesItselfAndTheVerbThatUsesIt()
    {
        string table = Path.Combine(_dir, "t.csv"), imputer = Path.Combine(_dir, "imp.safetensors");
        File.WriteAllText(table, "a,b\n1,2\n2,\n3,6\n,8\n5,10\n");
        CliResult fit = CliRunner.Run(_dir, "impute", "--data", table, "--out", Path.Combine(_dir, "filled.csv"), "--save", imputer, "--epochs", "2");
        Assert.True(fit.ExitCode == 0, fit.Stderr);

        CliResult encode = CliRunner.Run(_dir, "encode", "--model", "imp.safetensors", "--data", "digits", "--out", "codes.csv");
        Assert.Equal(1, encode.ExitCode);
        CliRunner.AssertCleanFailure(encode,
            "'imp.safetensors' is an imputer (written by 'latent impute --save'), not an autoencoder; use it with 'latent impute --model imp.safetensors'.");
        Assert.False(File.Exists(Path.Combine(_dir, "codes.csv")));
        CliRunner.AssertCleanFailure(CliRunner.Run(_dir, "cluster", "--model", imputer, "--data", "digits"), "not a clusterer; use it with 'latent impute --model");
    }

    [Fact]
    public void EveryKindInTheTableIsTheLibrarysAndEveryVerbThereTakesTheModelOption()
    {
        string[] kinds = [.. typeof(ModelFile).Assembly.GetTypes().Select(t => t.GetCustomAttribute<ModelKindAttribute>()?.Kind).OfType<string>()];
        foreach (var (kind, verbs) in ModelFileVerbs.ByKind)
        {
            Assert.Contains(kind, kinds);
            string[] words = verbs.UsedBy.Split(' ');   // latent <verb ...> --option
            Assert.Equal("latent", words[0]);
            AssertTakes(words[1..^1], words[^1]);
            foreach (string other in verbs.AlsoUsedBy) AssertTakes(other.Split(' '), "--model");
        }
    }

    private void AssertTakes(string[] verb, string option)
    {
        CliResult help = CliRunner.Run(_dir, [.. verb, "--help"]);
        Assert.True(help.ExitCode == 0, help.Stderr);
        Assert.Contains($"  {option} <", help.Stdout);
    }
}
