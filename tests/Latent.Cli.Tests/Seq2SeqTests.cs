using System.Text;
using System.Text.Json;
using Latent.Applications.SequenceToSequence;

namespace Latent.Cli.Tests;

/// <summary>`latent seq2seq train|predict` on a small reversal task, and the bad input they must refuse cleanly.</summary>
public sealed class Seq2SeqTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "latent-cli-tests", Guid.NewGuid().ToString("N"));

    public Seq2SeqTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string File(string name) => Path.Combine(_dir, name);

    /// <summary>Pairs of 3 letters and their reversal.</summary>
    private string WritePairs(string name, int rows, int offset, bool withTarget = true)
    {
        var sb = new StringBuilder(withTarget ? "source,target\n" : "id,source\n");
        for (int r = 0; r < rows; r++)
        {
            char[] s = [(char)('a' + (r + offset) % 5), (char)('a' + (r + offset) / 5 % 5), (char)('a' + (r + offset) / 25 % 5)];
            sb.Append(withTarget ? $"{string.Join(' ', s)},{string.Join(' ', s.Reverse())}\n" : $"{r},{string.Join(' ', s)}\n");
        }
        System.IO.File.WriteAllText(File(name), sb.ToString());
        return File(name);
    }

    [Fact]
    public void TrainThenPredictWritesWhatTheLibraryPredicts()
    {
        string pairs = WritePairs("pairs.csv", 125, 0), model = File("s2s.safetensors"), predictions = File("out.csv");
        CliResult train = CliRunner.Run(_dir, "seq2seq", "train", "--data", pairs, "--out", model, "--hidden", "32", "--epochs", "3", "--cell", "gru", "--json");
        Assert.True(train.ExitCode == 0, train.Stderr);
        using (JsonDocument json = JsonDocument.Parse(train.Stdout))
            Assert.Equal(3, json.RootElement.GetProperty("fixed_length").GetInt32());

        CliResult predict = CliRunner.Run(_dir, "seq2seq", "predict", "--model", model, "--data", pairs, "--beam", "2", "--out", predictions, "--json");
        Assert.True(predict.ExitCode == 0, predict.Stderr);
        var library = Seq2Seq.Open(model);
        string[] lines = System.IO.File.ReadAllLines(predictions);
        Assert.Equal("source,prediction,target", lines[0]);
        Assert.Equal(126, lines.Length);
        string[] first = lines[1].Split(',');
        Assert.Equal(string.Join(' ', library.Predict(first[0].Split(' '), beam: 2)), first[1]);
        using (JsonDocument json = JsonDocument.Parse(predict.Stdout))
            Assert.InRange(json.RootElement.GetProperty("exact_accuracy").GetDouble(), 0, 1);

        CliResult text = CliRunner.Run(_dir, "seq2seq", "predict", "--model", model, "--data", WritePairs("new.csv", 4, 7, withTarget: false));
        Assert.True(text.ExitCode == 0, text.Stderr);
        Assert.Equal(4, text.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public void BadInputIsRefusedCleanly()
    {
        string noTarget = WritePairs("sources.csv", 10, 0, withTarget: false), model = File("m.safetensors");
        CliRunner.AssertCleanFailure(CliRunner.Run(_dir, "seq2seq", "train", "--data", noTarget, "--out", model), "needs the columns 'source' and 'target'");
        Assert.False(System.IO.File.Exists(model));
        System.IO.File.WriteAllText(File("empty.csv"), "source,target\na b,\n");
        CliRunner.AssertCleanFailure(CliRunner.Run(_dir, "seq2seq", "train", "--data", File("empty.csv"), "--out", model), "empty target sequence in row 0");
        CliResult beam = CliRunner.Run(_dir, "seq2seq", "predict", "--model", model, "--data", noTarget, "--beam", "0");
        Assert.Equal(2, beam.ExitCode);
        Assert.Contains("--beam must be at least 1", beam.Stderr);
        CliRunner.AssertCleanFailure(CliRunner.Run(_dir, "seq2seq", "predict", "--model", File("missing.safetensors"), "--data", noTarget), "missing.safetensors");
        string pairs = WritePairs("pairs.csv", 10, 0);
        CliResult noWidth = CliRunner.Run(_dir, "seq2seq", "train", "--data", pairs, "--out", model, "--hidden", "");
        Assert.Equal(2, noWidth.ExitCode);
        Assert.Contains("--hidden needs at least one width", noWidth.Stderr);
        CliResult strayClips = CliRunner.Run(_dir, "seq2seq", "train", "--data", pairs, "--out", model, "--clips", "5");
        Assert.Equal(2, strayClips.ExitCode);
        Assert.Contains("--clips needs --frames", strayClips.Stderr);
    }

    [SkippableFact]
    public void TrainFramesSavesAPredictorAndPngStrips()
    {
        string data = SharedData.Require("mnist"), model = File("frames.safetensors");
        CliResult train = CliRunner.Run(_dir, "seq2seq", "train", "--frames", "--clips", "24", "--epochs", "1", "--data-dir", data, "--out", model, "--json");
        Assert.True(train.ExitCode == 0, train.Stderr);
        using JsonDocument json = JsonDocument.Parse(train.Stdout);
        Assert.Equal(10, json.RootElement.GetProperty("mse").GetArrayLength());
        string[] strips = Directory.GetFiles(File("frames-strips"), "*.png");
        Assert.Equal(4, strips.Length);
        Latent.Imaging.PngImage strip = Latent.Imaging.PngReader.Read(strips[0]);
        Assert.True(strip.Width > 10 * 64 && strip.Height > 3 * 64, $"a strip of {strip.Width}×{strip.Height} pixels");
        Assert.Equal(10, FramePredictor.Open(model).Options.OutputFrames);
    }
}
