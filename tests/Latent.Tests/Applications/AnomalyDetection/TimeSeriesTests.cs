using Latent.Applications.AnomalyDetection;
using Latent.Engine;

namespace Latent.Tests.Applications.AnomalyDetection;

public class TimeSeriesTests
{
    private const int Steps = 1200, Period = 24;

    /// <summary>Two columns, a noisy sine and cosine; from step 800 to 819 the sine freezes at a value it never holds that long.</summary>
    private static Tensor Series(bool anomaly)
    {
        var rng = new Rng(11);
        var x = new float[Steps * 2];
        for (int t = 0; t < Steps; t++)
        {
            double phase = 2 * Math.PI * t / Period;
            x[2 * t] = (float)Math.Sin(phase) + 0.05f * rng.NextNormal();
            x[2 * t + 1] = (float)Math.Cos(phase) + 0.05f * rng.NextNormal();
            if (anomaly && t is >= 800 and < 820) x[2 * t] = 0.9f;
        }
        return Tensor.FromArray(x, Steps, 2);
    }

    private static readonly AnomalyOptions Windows = new() { Window = Period, Stride = 2, Members = 5 };

    [Fact]
    public void WindowScoresAreMappedBackToTimeStepsAndFindTheAnomaly()
    {
        Tensor normal = Series(anomaly: false), series = Series(anomaly: true);
        using Tensor history = Ops.SelectRows(normal, [.. Enumerable.Range(0, 600)]);
        AnomalyDetector detector = AnomalyDetector.Fit(history, Windows);
        AnomalyReport report = detector.Score(series);

        Assert.Equal(Steps, report.Count);
        int peak = Enumerable.Range(0, Steps).MaxBy(t => report.Scores[t]);
        Assert.InRange(peak, 790, 830);
        Assert.All(Enumerable.Range(802, 16), t => Assert.True(report.Flags[t], $"step {t} not flagged"));
        int falseAlarms = Enumerable.Range(0, Steps).Count(t => report.Flags[t] && (t < 800 - Period || t >= 820 + Period));
        Assert.True(falseAlarms < Steps / 50, $"{falseAlarms} steps flagged far from the anomaly");
        Assert.Equal("column 1", report.TopColumns(810, 1)[0].Column);   // the frozen column
    }

    [Fact]
    public void AStreamInChunksGivesExactlyTheScoresOfOneCall()
    {
        Tensor series = Series(anomaly: true);
        AnomalyDetector detector = AnomalyDetector.Fit(series, Windows with { Stride = 5, Members = 2, Epochs = 5 });
        AnomalyStream stream = detector.OpenStream();
        var scores = new List<float>();
        for (int start = 0; start < Steps; start += 37)
        {
            using Tensor chunk = Ops.SelectRows(series, [.. Enumerable.Range(start, Math.Min(37, Steps - start))]);
            AnomalyReport part = stream.Push(chunk);
            Assert.Equal(scores.Count, part.FirstRow);
            scores.AddRange(part.Scores);
        }
        scores.AddRange(stream.Finish().Scores);
        Assert.Equal(detector.Score(series).Scores, scores);
    }

    [Fact]
    public void ASeriesShorterThanTheWindowIsRefused()
    {
        AnomalyDetector detector = AnomalyDetector.Fit(Series(anomaly: false), Windows with { Members = 1, Epochs = 2 });
        using Tensor shortSeries = Ops.SelectRows(Series(anomaly: false), [.. Enumerable.Range(0, 10)]);
        Assert.Contains("fewer than the detector's window of 24", Assert.Throws<ArgumentException>(() => detector.Score(shortSeries)).Message);
    }
}
