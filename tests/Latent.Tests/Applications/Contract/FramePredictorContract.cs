using Latent.Applications.SequenceToSequence;
using Latent.Engine;
using Latent.Imaging;
using Latent.Training;

namespace Latent.Tests.Applications.Contract;

/// <summary>A tiny frame predictor on random 8×8 clips (3 frames watched, 2 predicted); its predictions must not change.</summary>
public sealed class FramePredictorContract : ApplicationContract<FramePredictor>
{
    private static readonly ImageShape Frame = ImageShape.Gray(8, 8);
    private static readonly Tensor Clips = Tensor.Uniform(new Rng(1), 0f, 1f, 24, 5 * 64);
    private static readonly Tensor Observed = Tensor.Uniform(new Rng(2), 0f, 1f, 3, 3 * 64);

    private static FramePredictorOptions Small(ulong seed) => new()
    {
        InputFrames = 3, OutputFrames = 2, CodeSize = 8, Hidden = 8, Training = new FitOptions { Epochs = 2, BatchSize = 8, Seed = seed },
    };

    protected override FramePredictor Fit(ulong seed, IProgress<TrainingProgress>? progress = null) => FramePredictor.Fit(Clips, Frame, Small(seed), progress);

    protected override float[] Use(FramePredictor app) =>
        [.. app.Predict(Observed).ToArray(), .. app.Evaluate(Clips).Mse.Select(m => (float)m), .. app.Strip(Clips.Span[..(5 * 64)]).Pixels.Select(b => (float)b)];

    protected override IEnumerable<(Action, string)> BadInputs(FramePredictor app) =>
    [
        (() => app.Predict(Tensor.Zeros(2, 64)), "[2, 64]"),
        (() => app.Predict(ContractData.WithValue(Observed, 5, float.NaN)), "Row 0, column 5"),
        (() => app.Strip(new float[10]), "not 10"),
        (() => FramePredictor.Fit(Clips, ImageShape.Gray(4, 16)), "multiples of 8"),
        (() => FramePredictor.Fit(Clips, Frame, Small(1) with { InputFrames = 0 }), "1 to 1000 frames"),
    ];

    protected override IEnumerable<object> CallerData => [Clips, Observed];

    protected override FramePredictor Open(string path) => FramePredictor.Open(path);
}
