using Latent.Applications.AnomalyDetection;
using Latent.Engine;

namespace Latent.Tests.Applications.AnomalyDetection;

public class AnomalyMetricsTests
{
    [Fact]
    public void RocAucEqualsTheShareOfCorrectlyOrderedPairs()
    {
        var rng = new Rng(3);
        float[] scores = [.. Enumerable.Range(0, 300).Select(_ => MathF.Round(rng.NextFloat() * 20) / 20)];   // many ties
        bool[] anomalous = [.. scores.Select(s => rng.NextFloat() < 0.2 + 0.5 * s)];
        double pairs = 0, wins = 0;
        for (int i = 0; i < scores.Length; i++)
            for (int j = 0; j < scores.Length; j++)
                if (anomalous[i] && !anomalous[j])
                {
                    pairs++;
                    wins += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0;
                }
        Assert.Equal(wins / pairs, AnomalyMetrics.RocAuc(scores, anomalous), 12);
    }

    [Fact]
    public void AveragePrecisionMatchesScikitLearn()
    {
        // sklearn.metrics.average_precision_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) = 0.8333…; roc_auc_score = 0.75.
        float[] scores = [0.1f, 0.4f, 0.35f, 0.8f];
        bool[] anomalous = [false, false, true, true];
        Assert.Equal(5.0 / 6, AnomalyMetrics.AveragePrecision(scores, anomalous), 12);
        Assert.Equal(0.75, AnomalyMetrics.RocAuc(scores, anomalous), 12);
        // Ties are one threshold: [0, 1, 1, 0] with scores [1, 1, 1, 0] gives precision 2/3 at recall 1.
        Assert.Equal(2.0 / 3, AnomalyMetrics.AveragePrecision([1f, 1f, 1f, 0f], [false, true, true, false]), 12);
    }

    [Fact]
    public void TheConfusionMatrixCountsAndItsRatios()
    {
        var m = ConfusionMatrix.Of([true, true, false, false, true, false], [true, false, false, true, true, false]);
        Assert.Equal(new ConfusionMatrix(2, 1, 2, 1), m);
        Assert.Equal(2.0 / 3, m.Precision, 12);
        Assert.Equal(2.0 / 3, m.Recall, 12);
        Assert.Equal(2.0 / 3, m.F1, 12);
        Assert.Equal(4.0 / 6, m.Accuracy, 12);
        Assert.Equal(1.0 / 3, m.FalsePositiveRate, 12);
        Assert.Equal(0, ConfusionMatrix.Of([false], [true]).Precision);
    }

    [Fact]
    public void RankingNeedsBothClasses()
    {
        Assert.Contains("no anomalies", Assert.Throws<ArgumentException>(() => AnomalyMetrics.RocAuc([1f, 2f], [false, false])).Message);
        Assert.Throws<ArgumentException>(() => AnomalyMetrics.AveragePrecision([1f], [true, false]));
    }

    [Fact]
    public void TheEvaluationFollowsThePyodProtocol()
    {
        const int width = 10, rows = 500;
        float[] x = SyntheticRows.Normal(rows, width, factors: 3, seed: 8);
        var anomalous = new bool[rows];
        for (int r = 0; r < rows; r += 20)
        {
            anomalous[r] = true;
            SyntheticRows.Plant(x, width, r, [r % width], 6f);
        }
        AnomalyEvaluationResult result = AnomalyEvaluation.Run(SyntheticRows.Tensor(x, width), anomalous, new AnomalyOptions { Members = 3 }, seeds: 3);

        Assert.Equal([0, 1, 2], result.Splits.Select(s => s.Seed));
        Assert.All(result.Splits, s => Assert.Equal(rows - 300, s.AtThreshold.Total));   // 40% scored
        Assert.True(result.RocAuc > 0.9, $"ROC-AUC {result.RocAuc}");
        double mean = result.Splits.Average(s => s.RocAuc);
        Assert.Equal(Math.Sqrt(result.Splits.Average(s => (s.RocAuc - mean) * (s.RocAuc - mean))), result.RocAucStd, 12);
        Assert.Equal(result.Splits.Average(s => s.PrAuc), result.PrAuc, 12);
        Assert.True(result.PrAuc > 0.6, $"PR-AUC {result.PrAuc}: chance is the anomaly share, 0.05");
    }
}
