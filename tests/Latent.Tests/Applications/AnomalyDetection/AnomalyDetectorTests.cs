using Latent.Applications.AnomalyDetection;
using Latent.Data;
using Latent.Engine;

namespace Latent.Tests.Applications.AnomalyDetection;

public class AnomalyDetectorTests
{
    private const int Width = 12;

    /// <summary>600 rows near a 3-dimensional subspace, 12 of which (100..111) have two cells shifted off it by 4 (the columns spread about 1.7).</summary>
    private static (Tensor Rows, bool[] Planted, int[][] Shifted) Contaminated()
    {
        float[] x = SyntheticRows.Normal(600, Width, factors: 3, seed: 1);
        var planted = new bool[600];
        var shifted = new int[600][];
        for (int r = 100; r < 112; r++)
        {
            planted[r] = true;
            shifted[r] = [r % Width, (r + 5) % Width];
            SyntheticRows.Plant(x, Width, r, shifted[r], r % 2 == 0 ? 4f : -4f);
        }
        return (SyntheticRows.Tensor(x, Width), planted, shifted);
    }

    [Fact]
    public void PlantedOutliersAreFoundAndExplainedByTheirShiftedColumns()
    {
        var (rows, planted, shifted) = Contaminated();
        // 2% of the rows are planted; flagging 10% should catch them all (rows far out along the subspace score high too).
        AnomalyDetector detector = AnomalyDetector.Fit(rows, new AnomalyOptions { Threshold = ThresholdRule.Contamination(0.1) });
        AnomalyReport report = detector.Score(rows);

        Assert.True(AnomalyMetrics.RocAuc(report.Scores, planted) > 0.98, $"ROC-AUC {AnomalyMetrics.RocAuc(report.Scores, planted)}");
        ConfusionMatrix flags = ConfusionMatrix.Of(report.Flags, planted);
        Assert.True(flags.TruePositives >= 11, flags.ToString());
        // The column that contributes most is one of the two that were shifted, for nearly every planted row.
        int explained = Enumerable.Range(100, 12).Count(r => shifted[r].Select(c => $"column {c + 1}").Contains(report.TopColumns(r, 1)[0].Column));
        Assert.True(explained >= 11, $"{explained} of 12 planted rows explained by a shifted column");
        float sum = report.Contributions(100).ToArray().Sum();
        Assert.Equal(report.Scores[100], sum, report.Scores[100] * 1e-5f);
    }

    [Fact]
    public void TrainingOnContaminatedRowsIsRobust()
    {
        // A fifth of the rows form a cluster off the subspace. Trained long enough, a plain fit learns to rebuild
        // them too; a trimmed fit leaves them out and keeps them anomalous. The autoencoders alone: trimming is theirs.
        float[] x = SyntheticRows.Normal(500, Width, factors: 2, seed: 2);
        var anomalous = new bool[500];
        for (int r = 0; r < 500; r += 5)
        {
            anomalous[r] = true;
            SyntheticRows.Plant(x, Width, r, [1, 4, 7], 4f);
        }
        Tensor rows = SyntheticRows.Tensor(x, Width);
        double Auc(float trim) => AnomalyMetrics.RocAuc(
            AnomalyDetector.Fit(rows, new AnomalyOptions { Scorers = AnomalyScorers.Autoencoders, TrimFraction = trim, Epochs = 300, Members = 5 }).Score(rows).Scores, anomalous);
        double plain = Auc(0f), trimmed = Auc(0.3f);
        Assert.True(trimmed > 0.95 && plain < trimmed - 0.2, $"trimmed {trimmed:F4}, plain {plain:F4}");
    }

    [Fact]
    public void TheFalsePositiveRateIsCalibratedOnHeldOutNormalRows()
    {
        Tensor normal = SyntheticRows.Tensor(SyntheticRows.Normal(2000, Width, factors: 3, seed: 3), Width);
        Tensor fresh = SyntheticRows.Tensor(SyntheticRows.Normal(4000, Width, factors: 3, seed: 4), Width);
        foreach (double rate in new[] { 0.01, 0.05 })
        {
            AnomalyDetector detector = AnomalyDetector.Fit(normal, new AnomalyOptions { Threshold = ThresholdRule.FalsePositiveRate(rate), Members = 5 });
            double observed = (double)detector.Score(fresh).FlaggedCount / fresh.Dim(0);
            // 400 held-out rows set the quantile: its sampling error is about √(rate(1 − rate)/400).
            Assert.InRange(observed, rate * 0.4, rate * 1.7);
        }
    }

    [Fact]
    public void ThresholdRulesDoWhatTheySay()
    {
        var (rows, _, _) = Contaminated();
        var options = new AnomalyOptions { Members = 3 };
        AnomalyDetector contaminated = AnomalyDetector.Fit(rows, options with { Threshold = ThresholdRule.Contamination(0.05) });
        Assert.InRange(contaminated.Score(rows).FlaggedCount, 29, 31);   // 5% of 600

        AnomalyDetector fixedOne = AnomalyDetector.Fit(rows, options with { Threshold = ThresholdRule.Fixed(2.5) });
        Assert.Equal(2.5f, fixedOne.Threshold);
        AnomalyReport report = fixedOne.Score(rows);
        Assert.Equal(report.Scores.Count(s => s > 2.5f), report.FlaggedCount);

        // Auto: Tukey's far-out fence on the fitted rows' scores (same seed, same members, so the same scores).
        AnomalyDetector auto = AnomalyDetector.Fit(rows, options);
        double[] sorted = [.. auto.Score(rows).Scores.Select(s => (double)s).Order()];
        double q1 = RobustScaler.Percentile(sorted, 0.25), q3 = RobustScaler.Percentile(sorted, 0.75);
        Assert.Equal((float)(q3 + 3 * (q3 - q1)), auto.Threshold, 1e-4f);
        Assert.InRange(RobustScaler.Percentile(sorted, 0.5), 0.7, 1.4);   // scores are relative to a typical row

        Assert.Throws<ArgumentException>(() => ThresholdRule.Contamination(0.7));
        Assert.Throws<ArgumentException>(() => ThresholdRule.FalsePositiveRate(0));
        Assert.Throws<ArgumentException>(() => ThresholdRule.Fixed(double.NaN));
    }

    [Fact]
    public void AConstantColumnNeitherCrashesNorDominates()
    {
        float[] x = SyntheticRows.Normal(300, Width, factors: 3, seed: 5);
        var withConstant = new float[300 * (Width + 1)];
        for (int r = 0; r < 300; r++)
        {
            x.AsSpan(r * Width, Width).CopyTo(withConstant.AsSpan(r * (Width + 1)));
            withConstant[r * (Width + 1) + Width] = 42f;
        }
        var options = new AnomalyOptions { Members = 3 };
        AnomalyDetector plain = AnomalyDetector.Fit(SyntheticRows.Tensor(x, Width), options);
        AnomalyDetector detector = AnomalyDetector.Fit(SyntheticRows.Tensor(withConstant, Width + 1), options);

        Assert.Equal(["column 13"], detector.DroppedColumns);
        Assert.DoesNotContain("column 13", detector.Columns);
        Assert.Equal(plain.Score(SyntheticRows.Tensor(x, Width)).Scores, detector.Score(SyntheticRows.Tensor(withConstant, Width + 1)).Scores);
        // A new value in the constant column is ignored rather than blowing up the score.
        for (int r = 0; r < 300; r++) withConstant[r * (Width + 1) + Width] = -1e6f;
        Assert.Equal(plain.Score(SyntheticRows.Tensor(x, Width)).Scores, detector.Score(SyntheticRows.Tensor(withConstant, Width + 1)).Scores);

        var allConstant = Tensor.Full(3f, 50, 4);
        Assert.Contains("constant", Assert.Throws<ArgumentException>(() => AnomalyDetector.Fit(allConstant, options)).Message);
    }

    [Fact]
    public void MissingOrInfiniteCellsAreRefusedNamingRowAndColumn()
    {
        float[] x = SyntheticRows.Normal(100, Width, factors: 3, seed: 6);
        x[3 * Width + 5] = float.NaN;
        var fit = Assert.Throws<ArgumentException>(() => AnomalyDetector.Fit(SyntheticRows.Tensor(x, Width)));
        Assert.StartsWith("Row 3, column 5 is missing", fit.Message);

        var table = new CsvTable([
            TableColumn.Numeric("a", [1, 2, 3, 4, 5, 6]),
            TableColumn.Numeric("b", [1, 2, double.NaN, 3, 2, 1]),
            TableColumn.Categorical("kind", ["p", "q", "p", "q", "p", "q"]),
        ]);
        var tableFit = Assert.Throws<ArgumentException>(() => AnomalyDetector.Fit(table));
        Assert.StartsWith("Data row 2, column 'b' is missing", tableFit.Message);

        x[3 * Width + 5] = 0;
        AnomalyDetector detector = AnomalyDetector.Fit(SyntheticRows.Tensor(x, Width), new AnomalyOptions { Members = 2 });
        x[7 * Width] = float.PositiveInfinity;
        Assert.StartsWith("Row 7, column 0 is Infinity", Assert.Throws<ArgumentException>(() => detector.Score(SyntheticRows.Tensor(x, Width))).Message);
        Assert.Contains("[5, 3]", Assert.Throws<ArgumentException>(() => detector.Score(Tensor.Zeros(5, 3))).Message);
    }

    [Fact]
    public void TheSameSeedGivesTheSameScores()
    {
        var (rows, _, _) = Contaminated();
        var options = new AnomalyOptions { Members = 3, Seed = 7 };
        float[] a = [.. AnomalyDetector.Fit(rows, options).Score(rows).Scores], b = [.. AnomalyDetector.Fit(rows, options).Score(rows).Scores];
        float[] other = [.. AnomalyDetector.Fit(rows, options with { Seed = 8 }).Score(rows).Scores];
        Assert.Equal(a, b);
        Assert.NotEqual(a, other);
    }

    [Fact]
    public void TheCallersDataIsNeverModified()
    {
        var (rows, _, _) = Contaminated();
        float[] before = rows.ToArray();
        AnomalyDetector detector = AnomalyDetector.Fit(rows, new AnomalyOptions { Members = 2, Threshold = ThresholdRule.FalsePositiveRate(0.05) });
        detector.Score(rows);
        Assert.Equal(before, rows.ToArray());
    }

    [Fact]
    public void BadOptionsAreRefused()
    {
        var (rows, _, _) = Contaminated();
        Assert.Throws<ArgumentException>(() => AnomalyDetector.Fit(rows, new AnomalyOptions { Members = 0 }));
        Assert.Throws<ArgumentException>(() => AnomalyDetector.Fit(rows, new AnomalyOptions { TrimFraction = 0.95f }));
        Assert.Throws<ArgumentException>(() => AnomalyDetector.Fit(rows, new AnomalyOptions { Window = 4, Stride = 5 }));
        Assert.Contains("too few", Assert.Throws<ArgumentException>(() => AnomalyDetector.Fit(Tensor.Zeros(1, 3))).Message);
        Assert.Contains("[rows, columns]", Assert.Throws<ArgumentException>(() => AnomalyDetector.Fit(Tensor.Zeros(5))).Message);
    }
}
