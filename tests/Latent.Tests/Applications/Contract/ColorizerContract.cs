using Latent.Applications.Colorization;
using Latent.Engine;
using Latent.Imaging;
using Latent.Models;
using Latent.Training;

namespace Latent.Tests.Applications.Contract;

/// <summary>The colorizer (classification, rebalanced) on small synthetic squares; its colours for fixed images must not change.</summary>
public sealed class ColorizerContract : ApplicationContract<Colorizer>
{
    private static readonly ImageShape Shape = ColorTestImages.Shape(8);
    private static readonly Tensor Train = ColorTestImages.Squares(40, 8, 1);
    private static readonly Tensor Test = ColorTestImages.Squares(5, 8, 2);
    private static readonly float[] Large = ColorTestImages.Squares(1, 40, 3).ToArray();

    internal static ColorizerOptions Small(ulong seed, ColorizationLoss loss = ColorizationLoss.Classification) => new()
    {
        Loss = loss,
        GridSize = 20,
        Model = new UNetConfig { Widths = [4, 8], Seed = seed },
        TileSize = 16,
        TileOverlap = 4,
        Training = new FitOptions { Epochs = 2, BatchSize = 10, Seed = seed },
    };

    // With the augmentations and a saturation, so that they too are seeded, leave the caller's data alone and are saved.
    protected override Colorizer Fit(ulong seed, IProgress<TrainingProgress>? progress = null) =>
        Colorizer.Fit(Train, Shape, Small(seed) with { Mirror = true, Shift = 1, Saturation = 1.3f }, progress);

    protected override float[] Use(Colorizer app)
    {
        ColorizationReport report = app.Evaluate(Test, Shape);
        return [.. app.Colorize(Test, Shape).ToArray(), .. app.Colorize(Large, ImageShape.Rgb(40, 40)), (float)report.Psnr, (float)report.Colorfulness];
    }

    protected override IEnumerable<(Action, string)> BadInputs(Colorizer app) =>
    [
        (() => app.Colorize(Tensor.Zeros(3, 63), Shape), "[3, 63]"),
        (() => app.Colorize(new float[10], ImageShape.Gray(4, 4)), "10 values"),
        (() => app.Colorize(new float[32], new ImageShape(2, 4, 4)), "2×4×4"),
        (() => app.Colorize(ContractData.WithValue(Test, 7, float.NaN), Shape), "Row 0, column 7"),
        (() => Colorizer.Fit(Tensor.Zeros(5, 64), ImageShape.Gray(8, 8)), "colour (RGB)"),
        (() => Colorizer.Fit(ContractData.WithValue(Train, 200, float.PositiveInfinity), Shape), "Row 1, column 8"),
        (() => Colorizer.Fit(Train, Shape, Small(1) with { Temperature = 0 }), "temperature"),
        (() => Colorizer.Fit(Train, Shape, Small(1) with { TileOverlap = 8 }), "overlap"),
        (() => Colorizer.Fit(Train, Shape, Small(1) with { Saturation = -1 }), "saturation"),
        (() => Colorizer.Fit(Train, Shape, Small(1) with { Shift = 8 }), "shift"),
    ];

    protected override IEnumerable<object> CallerData => [Train, Test, Large];

    protected override Colorizer Open(string path) => Colorizer.Open(path);
}
