using Latent.Engine;
using Latent.Models;
using Latent.Reporting;
using Latent.Training;

namespace Latent.Applications.Segmentation;

/// <summary>What the shapes demo learned: the segmenter, its scores on held-out shapes, and what the report shows.</summary>
public sealed record ShapesDemoResult(Segmenter Segmenter, MaskMetrics Metrics, int TrainImages, Tensor TestImages, int[] TestMasks, int[] Predicted)
{
    /// <summary>The run's HTML report: scores per class, loss curves, and test images with predicted and true masks.</summary>
    public HtmlReport Report()
    {
        var shape = SyntheticShapes.Shape(ShapesDemo.Size) with { Channels = 3 };
        int pixels = ShapesDemo.Size * ShapesDemo.Size;
        var examples = new List<(float[], float[], float[])>();
        for (int i = 0; i < Math.Min(8, TestImages.Dim(0)); i++)
        {
            float[] rgb = ComparisonGrid.GrayToRgb(TestImages.Span.Slice(i * pixels, pixels));
            examples.Add((rgb, Segmenter.Overlay(rgb, shape, Predicted.AsSpan(i * pixels, pixels)), Segmenter.Overlay(rgb, shape, TestMasks.AsSpan(i * pixels, pixels))));
        }
        HtmlReport report = TrainingReport.Build(new TrainingReportContent
        {
            Title = "Latent segmentation demo: discs and squares",
            Facts = [("data", $"{TrainImages} synthetic {ShapesDemo.Size}×{ShapesDemo.Size} images for training, {TestImages.Dim(0)} held out"), ("network", Segmenter.Network.Describe())],
            Results = (["class", "IoU", "Dice"], [.. SyntheticShapes.ClassNames.Select((name, c) =>
                (IReadOnlyList<string>)[name, Metrics.IoU[c].ToString("F3", System.Globalization.CultureInfo.InvariantCulture), Metrics.Dice[c].ToString("F3", System.Globalization.CultureInfo.InvariantCulture)])]),
            History = Segmenter.History,
        });
        report.Heading("Examples");
        return report.Image(ComparisonGrid.Compose(examples, shape), "Image (left), predicted mask (middle), true mask (right).");
    }
}

/// <summary>
/// The segmentation demo recipe: a <see cref="Segmenter"/> learns to tell discs from squares (<see cref="SyntheticShapes"/>)
/// and is scored on new images (`latent segment --demo`).
/// </summary>
public static class ShapesDemo
{
    /// <summary>Side of the demo's images.</summary>
    public const int Size = 32;

    /// <summary>Epochs of the demo (a few seconds per epoch on two cores).</summary>
    public const int DefaultEpochs = 15;

    /// <summary>Generates the shapes, trains, and scores on 100 held-out images.</summary>
    public static ShapesDemoResult Run(int epochs = DefaultEpochs, ulong seed = 0, IProgress<TrainingProgress>? progress = null, CancellationToken cancel = default)
    {
        var (train, masks) = SyntheticShapes.Generate(800, Size, seed);
        var (test, testMasks) = SyntheticShapes.Generate(100, Size, seed + 1_000_003);
        var options = new SegmenterOptions
        {
            Model = new UNetConfig { Widths = [8, 16, 32], ConvolutionsPerBlock = 2, BatchNorm = true, Seed = seed },
            Training = new FitOptions { Epochs = epochs, BatchSize = 16, LearningRate = 3e-3f, Schedule = ScheduleKind.Cosine, Seed = seed },
        };
        Segmenter segmenter = Segmenter.Fit(train, masks, SyntheticShapes.Shape(Size), options, progress, cancel);
        cancel.ThrowIfCancellationRequested();
        int[] predicted = segmenter.Segment(test, SyntheticShapes.Shape(Size));
        return new ShapesDemoResult(segmenter, MaskMetrics.Of(testMasks, predicted, SyntheticShapes.Classes), train.Dim(0), test, testMasks, predicted);
    }
}
