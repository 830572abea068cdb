using Latent.Applications.Segmentation;
using Latent.Engine;
using Latent.Imaging;
using Latent.Models;
using Latent.Training;

namespace Latent.Tests.Applications.Contract;

/// <summary>The segmenter on a few synthetic shapes; its masks for fixed images must not change.</summary>
public sealed class SegmenterContract : ApplicationContract<Segmenter>
{
    private static readonly ImageShape Shape = SyntheticShapes.Shape(12);
    private static readonly (Tensor Images, int[] Masks) Train = SyntheticShapes.Generate(30, 12, 1);
    private static readonly (Tensor Images, int[] Masks) Test = SyntheticShapes.Generate(4, 12, 2);

    private static SegmenterOptions Small(ulong seed) => new()
    {
        Model = new UNetConfig { Widths = [4, 8], BatchNorm = true, Seed = seed },
        Training = new FitOptions { Epochs = 2, BatchSize = 10, Seed = seed },
    };

    protected override Segmenter Fit(ulong seed, IProgress<TrainingProgress>? progress = null) =>
        Segmenter.Fit(Train.Images, Train.Masks, Shape, Small(seed), progress);

    protected override float[] Use(Segmenter app)
    {
        MaskMetrics metrics = app.Evaluate(Test.Images, Test.Masks, Shape);
        return [.. app.Segment(Test.Images, Shape).Select(id => (float)id), .. app.Network.Predict(Test.Images.Reshape(4, 1, 12, 12)).ToArray(),
            (float)metrics.MeanIoU];
    }

    protected override IEnumerable<(Action, string)> BadInputs(Segmenter app) =>
    [
        (() => app.Segment(Tensor.Zeros(3, 63), Shape), "[3, 63]"),
        (() => app.Segment(new float[10], Shape), "10 values"),
        (() => app.Segment(new float[3 * 144], ImageShape.Rgb(12, 12)), "1 channel"),
        (() => app.Segment(ContractData.WithValue(Test.Images, 150, float.NaN), Shape), "Row 1, column 6"),
        (() => Segmenter.Fit(Train.Images, Train.Masks[..100], Shape), "need 4320"),
        (() => Segmenter.Fit(Train.Images, [.. Train.Masks.Select(m => m == 2 ? -1 : m)], Shape), "numbered from 0"),
        (() => Segmenter.Fit(Train.Images, Train.Masks, Shape, Small(1) with { Classes = 2 }), "only 2 classes"),
        (() => Segmenter.Fit(Train.Images, Train.Masks, Shape, Small(1) with { DiceWeight = -1 }), "Dice weight"),
    ];

    protected override IEnumerable<object> CallerData => [Train.Images, Train.Masks, Test.Images, Test.Masks];

    protected override Segmenter Open(string path) => Segmenter.Open(path);
}
