using System.Text.Json;

namespace Latent.Cli.Tests;

/// <summary>latent export: each part of a trained model as ONNX, and the refusals (a file that exists, a bad part, a model that is not an autoencoder).</summary>
public sealed class ExportTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "latent-cli-tests", Guid.NewGuid().ToString("N"));

    public ExportTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string File(string name) => Path.Combine(_dir, name);

    private string TrainDigits()
    {
        string model = File("digits.safetensors");
        CliResult train = CliRunner.Run(_dir, "train", "--data", "digits", "--out", model, "--hidden", "16", "--code", "4", "--epochs", "1");
        Assert.True(train.ExitCode == 0, train.Stderr);
        return model;
    }

    [Fact]
    public void EachPartIsWrittenWithItsInputsAndOutputs()
    {
        string model = TrainDigits();
        CliResult encoder = CliRunner.Run(_dir, "export", "--model", model, "--part", "encoder", "--out", File("encoder.onnx"), "--json");
        Assert.True(encoder.ExitCode == 0, encoder.Stderr);
        using (JsonDocument json = JsonDocument.Parse(encoder.Stdout))
        {
            Assert.Equal(new FileInfo(File("encoder.onnx")).Length, json.RootElement.GetProperty("bytes").GetInt64());
            Assert.Equal("rows [batch, 64]", json.RootElement.GetProperty("inputs")[0].GetString());
            Assert.Equal("code [batch, 4]", json.RootElement.GetProperty("outputs")[0].GetString());
        }

        CliResult decoder = CliRunner.Run(_dir, "export", "--model", model, "--part", "decoder", "--out", File("decoder.onnx"));
        Assert.True(decoder.ExitCode == 0, decoder.Stderr);
        Assert.Contains("inputs code [batch, 4]; outputs reconstruction [batch, 64].", decoder.Stdout);

        CliResult all = CliRunner.Run(_dir, "export", "--model", model, "--out", File("all.onnx"));
        Assert.True(all.ExitCode == 0, all.Stderr);
        Assert.Contains("inputs rows [batch, 64]; outputs reconstruction [batch, 64].", all.Stdout);
        Assert.True(new FileInfo(File("all.onnx")).Length > new FileInfo(File("encoder.onnx")).Length);
    }

    [Fact]
    public void AnExistingFileIsReplacedOnlyWithForce()
    {
        string model = TrainDigits();
        System.IO.File.WriteAllText(File("m.onnx"), "keep");
        CliResult refused = CliRunner.Run(_dir, "export", "--model", model, "--out", File("m.onnx"));
        CliRunner.AssertCleanFailure(refused, "exists; pass --force");
        Assert.Equal(1, refused.ExitCode);
        Assert.Equal("keep", System.IO.File.ReadAllText(File("m.onnx")));

        CliResult forced = CliRunner.Run(_dir, "export", "--model", model, "--out", File("m.onnx"), "--force");
        Assert.True(forced.ExitCode == 0, forced.Stderr);
        Assert.NotEqual("keep", System.IO.File.ReadAllText(File("m.onnx")));
    }

    [Fact]
    public void BadInputIsRefusedInOneSentenceAndWritesNothing()
    {
        CliResult part = CliRunner.Run(_dir, "export", "--model", "m.safetensors", "--part", "middle", "--out", File("m.onnx"));
        CliRunner.AssertCleanFailure(part, "--part");
        Assert.Equal(2, part.ExitCode);

        CliResult missing = CliRunner.Run(_dir, "export", "--out", File("m.onnx"));
        CliRunner.AssertCleanFailure(missing, "--model");
        Assert.Equal(2, missing.ExitCode);

        System.IO.File.WriteAllText(File("notes.safetensors"), "not a model");
        CliResult notAModel = CliRunner.Run(_dir, "export", "--model", File("notes.safetensors"), "--out", File("m.onnx"));
        CliRunner.AssertCleanFailure(notAModel, "notes.safetensors");
        Assert.Equal(1, notAModel.ExitCode);

        CliResult pca = CliRunner.Run(_dir, "reduce", "--data", "digits", "--dims", "2", "--method", "pca", "--out", File("codes.csv"), "--save", File("reducer.safetensors"));
        Assert.True(pca.ExitCode == 0, pca.Stderr);
        CliResult reducer = CliRunner.Run(_dir, "export", "--model", File("reducer.safetensors"), "--out", File("m.onnx"));
        CliRunner.AssertCleanFailure(reducer, "not an autoencoder");
        Assert.Equal(1, reducer.ExitCode);

        Assert.Equal(["codes.csv", "notes.safetensors", "reducer.safetensors"], Directory.GetFiles(_dir).Select(Path.GetFileName).Order());
    }
}
