using Latent.Applications.AnomalyDetection;
using Latent.Engine;
using Latent.Training;

namespace Latent.Tests.Applications.Contract;

/// <summary>The detector on a time series of numbers, scored through sliding windows (dense or LSTM autoencoders).</summary>
public abstract class WindowedDetectorContractBase(Tensor series, AnomalyOptions small) : ApplicationContract<AnomalyDetector>
{
    protected Tensor Series { get; } = series;
    protected AnomalyOptions Small { get; } = small;

    protected override AnomalyDetector Fit(ulong seed, IProgress<TrainingProgress>? progress = null) =>
        AnomalyDetector.Fit(Series, Small with { Seed = seed }, progress);

    protected override float[] Use(AnomalyDetector app)
    {
        AnomalyReport report = app.Score(Series);
        return [.. report.Scores, .. report.Flags.Select(f => f ? 1f : 0f), app.Threshold];
    }

    protected override IEnumerable<object> CallerData => [Series];

    protected override AnomalyDetector Open(string path) => AnomalyDetector.Open(path);
}

public sealed class WindowedDetectorContract() : WindowedDetectorContractBase(ContractData.Correlated(150, 3, seed: 2),
    new AnomalyOptions { Members = 2, Epochs = 4, Window = 6, Stride = 2, Threshold = ThresholdRule.FalsePositiveRate(0.1) })
{
    protected override IEnumerable<(Action, string)> BadInputs(AnomalyDetector app) =>
    [
        (() => app.Score(Tensor.Zeros(20, 4)), "rows of 3"),
        (() => app.Score(Tensor.Zeros(5, 3)), "fewer than the detector's window of 6"),
        (() => AnomalyDetector.Fit(ContractData.WithValue(Series, 3 * 40 + 2, float.PositiveInfinity), Small), "Row 40, column 2 is"),
        (() => AnomalyDetector.Fit(Series, Small with { Stride = 7 }), "must not be longer than the window"),
    ];
}

/// <summary>The same contract with LSTM autoencoders reading each window step by step.</summary>
public sealed class LstmWindowedDetectorContract() : WindowedDetectorContractBase(ContractData.Correlated(150, 3, seed: 3),
    new AnomalyOptions
    {
        Autoencoder = DetectorAutoencoder.Lstm, Hidden = [8], Members = 2, Epochs = 3, Window = 6, Stride = 2, Threshold = ThresholdRule.FalsePositiveRate(0.1),
    })
{
    protected override IEnumerable<(Action, string)> BadInputs(AnomalyDetector app) =>
    [
        (() => app.Score(Tensor.Zeros(20, 4)), "rows of 3"),
        (() => AnomalyDetector.Fit(Series, Small with { Window = null }), "set Window"),
        (() => AnomalyDetector.Fit(Series, Small with { Hidden = [] }), "takes one width"),
        (() => AnomalyDetector.Fit(Series, Small with { CodeSize = 4 }), "no separate code size"),
    ];
}
