using Latent.Applications.AnomalyDetection;
using Latent.Engine;

namespace Latent.Tests.Applications.AnomalyDetection;

public class LstmSeriesDetectorTests
{
    [Fact]
    public void LstmAutoencodersFlagABrokenStretchOfAPeriodicSeries()
    {
        // A daily-like cycle of period 24 with noise; steps 700..720 lose their cycle (a flat, raised stretch).
        var rng = new Rng(1);
        var series = Tensor.Zeros(900, 1);
        for (int t = 0; t < 900; t++) series.Span[t] = 10 + 5 * MathF.Sin(2 * MathF.PI * t / 24) + 0.3f * rng.NextNormal();
        for (int t = 700; t < 720; t++) series.Span[t] = 13 + 0.3f * rng.NextNormal();
        using Tensor normal = Ops.Slice(series, 0, 0, 600);
        var detector = AnomalyDetector.Fit(normal, new AnomalyOptions
        {
            Autoencoder = DetectorAutoencoder.Lstm, Window = 24, Hidden = [16], Members = 3, Epochs = 30, Scorers = AnomalyScorers.Autoencoders,
            Threshold = ThresholdRule.FalsePositiveRate(0.01), Seed = 2,
        });
        AnomalyReport report = detector.Score(series);
        float[] scores = [.. report.Scores];
        bool[] flags = [.. report.Flags];
        double inside = scores[700..720].Average(), outside = scores[620..680].Average();
        Assert.True(inside > 3 * outside, $"mean score {inside} in the broken stretch against {outside} before it");
        Assert.True(flags[700..720].Count(f => f) >= 10, "most of the broken stretch is flagged");
        Assert.True(flags[620..680].Count(f => f) <= 6, "few flags where the series is normal");
    }
}
