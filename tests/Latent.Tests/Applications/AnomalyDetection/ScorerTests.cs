using Latent.Applications.AnomalyDetection;
using Latent.Engine;
using Latent.Storage;

namespace Latent.Tests.Applications.AnomalyDetection;

/// <summary>The detector's non-neural scorers against hand computations, and as part of a fitted detector.</summary>
public class ScorerTests
{
    private static float[] FeatureErrors(IRowScorer scorer, float[] row)
    {
        var errors = new float[row.Length];
        using Tensor x = Tensor.FromArray(row, 1, row.Length);
        scorer.FeatureErrors(x, errors);
        return errors;
    }

    [Fact]
    public void TheNeighbourScoreIsTheSquaredDistanceToTheNearestRowOverTheFittedMedian()
    {
        // Rows (0,0), (1,0), (0,2), (3,3); each fitted row's nearest other row is 1, 1, 4 and 10 away (squared), median 2.5.
        using Tensor rows = Tensor.FromArray([0f, 0, 1, 0, 0, 2, 3, 3], 4, 2);
        NeighbourDistance scorer = NeighbourDistance.Fit(rows, new AnomalyOptions { Members = 1, SampleRows = 4, Neighbours = 1 }, new Rng(5), default);
        Assert.Equal(2.5f, scorer.Medians[0]);
        Assert.Equal([0f, 1 / 2.5f], FeatureErrors(scorer, [1f, 1f]));         // nearest (1, 0)
        Assert.Equal([4 / 2.5f, 4 / 2.5f], FeatureErrors(scorer, [5f, 5f]));   // nearest (3, 3)
    }

    [Fact]
    public void TheTailScoreIsMinusTheLogOfTheSmallerTailFraction()
    {
        // Columns 1..4 and 10..40 have the same ranks. Fitted rows score log(5/2) at the ends and log(5/3) inside, per column.
        using Tensor rows = Tensor.FromArray([1f, 10, 2, 20, 3, 30, 4, 40], 4, 2);
        EmpiricalTails scorer = EmpiricalTails.Fit(rows, new Rng(1));
        double median = 2 * (Math.Log(5 / 2.0) + Math.Log(5 / 3.0)) / 2;
        Assert.Equal(median, scorer.Median, 1e-5);
        float[] errors = FeatureErrors(scorer, [0f, 25f]);
        Assert.Equal(Math.Log(5) / median, errors[0], 1e-5);            // below every fitted value: (0 + 1) / 5
        Assert.Equal(Math.Log(5 / 3.0) / median, errors[1], 1e-5);      // two at or below, two at or above: (2 + 1) / 5
        Assert.Equal(Math.Log(5 / 3.0) / median, FeatureErrors(scorer, [2f, 20f])[0], 1e-5);   // ties count on both sides
    }

    [Theory]
    [InlineData(AnomalyScorers.Neighbours)]
    [InlineData(AnomalyScorers.Tails)]
    [InlineData(AnomalyScorers.Autoencoders | AnomalyScorers.Neighbours)]
    public void EachScorerRanksTheObviousOutlierFirstAndSplitsItsScoreOverTheColumns(AnomalyScorers scorers)
    {
        // Independent columns (the tails score ignores correlations), row 42 eight deviations out in three of them.
        var x = new float[300 * 6];
        new Rng(11).FillNormal(x, 0f, 1f);
        SyntheticRows.Plant(x, 6, 42, [1, 2, 3], 8f);
        Tensor rows = SyntheticRows.Tensor(x, 6);
        AnomalyReport report = AnomalyDetector.Fit(rows, new AnomalyOptions { Scorers = scorers, Members = 3, Epochs = 30 }).Score(rows);
        int top = Enumerable.Range(0, 300).MaxBy(r => report.Scores[r]);
        Assert.Equal(42, top);
        Assert.Contains(report.TopColumns(42, 1)[0].Column, new[] { "column 2", "column 3", "column 4" });
        Assert.Equal(report.Scores[42], report.Contributions(42).ToArray().Sum(), report.Scores[42] * 1e-5f);
        Assert.InRange(report.Scores.Select(s => (double)s).Order().ElementAt(150), 0.6, 1.6);   // about 1 for a typical row
    }

    [Fact]
    public void ADetectorWithEveryScorerSavesAndOpensToIdenticalScores()
    {
        using var dir = new TempFolder();
        Tensor rows = SyntheticRows.Tensor(SyntheticRows.Normal(200, 5, factors: 2, seed: 12), 5);
        var options = new AnomalyOptions { Scorers = AnomalyScorers.Autoencoders | AnomalyScorers.Neighbours | AnomalyScorers.Tails, Members = 2, Epochs = 5, Seed = 3 };
        AnomalyDetector detector = AnomalyDetector.Fit(rows, options);
        string path = dir.File("detector.safetensors"), again = dir.File("again.safetensors");
        detector.Save(path);
        AnomalyDetector loaded = AnomalyDetector.Open(path);

        Tensor fresh = SyntheticRows.Tensor(SyntheticRows.Normal(40, 5, factors: 2, seed: 13), 5);
        Assert.Equal(detector.Score(fresh).Scores, loaded.Score(fresh).Scores);
        Assert.Equal(options.Scorers, loaded.Options.Scorers);
        loaded.Save(again);
        SafeTensorsContent a = SafeTensorsFile.Load(path), b = SafeTensorsFile.Load(again);
        Assert.Equal(a.Metadata, b.Metadata);
        Assert.Contains("neighbours1", a.Tensors.Keys);
        Assert.Contains("tails", a.Tensors.Keys);

        // Without autoencoders nothing is trained, and the file holds no member.
        AnomalyDetector neighboursOnly = AnomalyDetector.Fit(rows, options with { Scorers = AnomalyScorers.Neighbours });
        neighboursOnly.Save(path);
        Assert.DoesNotContain(SafeTensorsFile.Load(path).Tensors.Keys, k => k.StartsWith("member", StringComparison.Ordinal));
        Assert.Equal(neighboursOnly.Score(fresh).Scores, AnomalyDetector.Open(path).Score(fresh).Scores);
    }

    [Fact]
    public void AFileFromBeforeTheOtherScorersOpensAsAnAutoencoderOnlyDetector()
    {
        using var dir = new TempFolder();
        Tensor rows = SyntheticRows.Tensor(SyntheticRows.Normal(120, 4, factors: 2, seed: 15), 4);
        AnomalyDetector detector = AnomalyDetector.Fit(rows, new AnomalyOptions { Scorers = AnomalyScorers.Autoencoders, Members = 2, Epochs = 3 });
        string path = dir.File("new.safetensors"), old = dir.File("old.safetensors");
        detector.Save(path);
        // What such a file held: options without Scorers and Neighbours, whose defaults now name the neighbours.
        SafeTensorsContent content = SafeTensorsFile.Load(path);
        var metadata = new Dictionary<string, string>(content.Metadata);
        var config = System.Text.Json.Nodes.JsonNode.Parse(metadata["latent.config"])!.AsObject();
        Assert.True(config.Remove("scorers") && config.Remove("neighbours"));
        metadata["latent.config"] = config.ToJsonString();
        SafeTensorsFile.Save(old, content.Tensors.Select(t => (t.Key, t.Value)), metadata);

        AnomalyDetector opened = AnomalyDetector.Open(old);
        Assert.Equal(AnomalyScorers.Autoencoders, opened.Options.Scorers);
        Assert.Equal(detector.Score(rows).Scores, opened.Score(rows).Scores);
    }

    [Fact]
    public void ImpossibleScorerOptionsAreRefused()
    {
        Tensor rows = SyntheticRows.Tensor(SyntheticRows.Normal(50, 4, factors: 2, seed: 14), 4);
        Assert.Contains("Scorers", Assert.Throws<ArgumentException>(() => AnomalyDetector.Fit(rows, new AnomalyOptions { Scorers = 0 })).Message);
        Assert.Contains("Neighbours", Assert.Throws<ArgumentException>(() => AnomalyDetector.Fit(rows, new AnomalyOptions { Neighbours = 0 })).Message);
    }
}
