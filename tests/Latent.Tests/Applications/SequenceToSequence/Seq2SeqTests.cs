using Latent.Applications.SequenceToSequence;
using Latent.Training;

namespace Latent.Tests.Applications.SequenceToSequence;

public class Seq2SeqTests
{
    [Fact]
    public void LearnsToReverseFixedLengthSequencesPerfectly()
    {
        var train = SequenceTasks.Make(4000, 8, 5, 5, reverse: true, seed: 1);
        var test = SequenceTasks.Make(300, 8, 5, 5, reverse: true, seed: 2);
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var model = Seq2Seq.Fit(train, new Seq2SeqOptions { Hidden = 64, Training = new FitOptions { Epochs = 8, BatchSize = 32, LearningRate = 3e-3f, ValidationFraction = 0, Seed = 3 } });
        Seq2SeqEvaluation result = model.Evaluate(test);
        Console.WriteLine($"reverse: {result} in {sw.Elapsed.TotalSeconds:F1}s; loss {string.Join(" ", model.History!.Epochs.Select(e => e.TrainLoss.ToString("F3")))}");
        Assert.Equal(5, model.FixedLength);
        Assert.Equal(1.0, result.ExactAccuracy);
    }

    [Fact]
    public void LearnsToCopyVariableLengthSequencesWithAnEndToken()
    {
        var train = SequenceTasks.Make(4000, 8, 2, 6, reverse: false, seed: 4);
        var test = SequenceTasks.Make(300, 8, 2, 6, reverse: false, seed: 5);
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var model = Seq2Seq.Fit(train, new Seq2SeqOptions { Hidden = 96, Training = new FitOptions { Epochs = 16, BatchSize = 32, LearningRate = 3e-3f, ValidationFraction = 0, Seed = 6 } });
        Seq2SeqEvaluation result = model.Evaluate(test);
        Console.WriteLine($"copy: {result} in {sw.Elapsed.TotalSeconds:F1}s; loss {string.Join(" ", model.History!.Epochs.Select(e => e.TrainLoss.ToString("F3")))}");
        Assert.Null(model.FixedLength);
        Assert.Equal(1.0, result.ExactAccuracy);
    }

    [Fact]
    public void ABeamOfWidthOneIsGreedyAndPaddingDoesNotChangeAPrediction()
    {
        var train = SequenceTasks.Make(600, 8, 2, 6, reverse: false, seed: 7);
        var model = Seq2Seq.Fit(train, new Seq2SeqOptions { Hidden = 32, Training = new FitOptions { Epochs = 2, BatchSize = 32, Seed = 8 } });
        var sources = SequenceTasks.Make(20, 8, 1, 7, reverse: false, seed: 9).Select(p => p.Source).ToArray();
        string[][] batched = model.Predict(sources);
        for (int i = 0; i < sources.Length; i++)
        {
            Assert.Equal(batched[i], model.Predict(sources[i]));      // alone, no padding
            Assert.Equal(batched[i], model.BeamSearch(sources[i], 1));
        }
        Assert.Contains(batched, p => p.Length > 0);
    }

    [Fact]
    public void AnUnknownSourceTokenReadsAsNothingRatherThanFailing()
    {
        var train = SequenceTasks.Make(300, 5, 3, 3, reverse: true, seed: 10);
        var model = Seq2Seq.Fit(train, new Seq2SeqOptions { Hidden = 16, Training = new FitOptions { Epochs = 1, Seed = 11 } });
        Assert.Equal(3, model.Predict(["never-seen", "t1", "t2"]).Length);
    }
}
