using Latent.Applications.Segmentation;
using Latent.Engine;
using Latent.Models;
using Latent.Training;

namespace Latent.Tests.Applications;

public class SegmenterTests
{
    [Fact]
    public void LearnsTheToyShapesToAnIoUAbove95Percent()
    {
        var (train, trainMasks) = SyntheticShapes.Generate(400, 24, 1);
        var (test, testMasks) = SyntheticShapes.Generate(60, 24, 2);
        var options = new SegmenterOptions
        {
            Model = new UNetConfig { Widths = [8, 16, 32], ConvolutionsPerBlock = 2, BatchNorm = true, Seed = 1 },
            Training = new FitOptions { Epochs = 15, BatchSize = 16, LearningRate = 3e-3f, Schedule = ScheduleKind.Cosine, Seed = 1 },
        };
        Segmenter segmenter = Segmenter.Fit(train, trainMasks, SyntheticShapes.Shape(24), options);
        MaskMetrics metrics = segmenter.Evaluate(test, testMasks, SyntheticShapes.Shape(24));
        Assert.True(metrics.IoU.All(v => v > 0.95), $"IoU per class: {string.Join(", ", metrics.IoU.Select(v => v.ToString("F3")))}");
    }

    [Fact]
    public void IoUAndDiceFollowTheirDefinitions()
    {
        int[] truth = [0, 0, 1, 1, 2, 2, 0, 0], predicted = [0, 1, 1, 1, 2, 0, 0, 0];
        MaskMetrics m = MaskMetrics.Of(truth, predicted, 4);
        Assert.Equal([3.0 / 5, 2.0 / 3, 1.0 / 2], m.IoU[..3]);   // class 0: 3 shared of 5 in either; 1: 2 of 3; 2: 1 of 2
        Assert.Equal([6.0 / 8, 4.0 / 5, 2.0 / 3], m.Dice[..3]);
        Assert.True(double.IsNaN(m.IoU[3]));                      // absent from both: not counted in the means
        Assert.Equal((3.0 / 5 + 2.0 / 3 + 1.0 / 2) / 3, m.MeanIoU, 12);
        Assert.Equal(6.0 / 8, m.PixelAccuracy);
        Assert.Contains("class 5", Assert.Throws<ArgumentException>(() => MaskMetrics.Of([5], [0], 3)).Message);
    }

    [Fact]
    public void TheOverlayTintsOnlyTheLabelledPixels()
    {
        float[] image = [0.2f, 0.4f];
        float[] rgb = Segmenter.Overlay(image, Latent.Imaging.ImageShape.Gray(1, 2), [0, 1], 0.5f);
        Assert.Equal([0.2f, 0.2f, 0.2f], new[] { rgb[0], rgb[2], rgb[4] });
        Assert.NotEqual(rgb[1], rgb[3]);   // the labelled pixel is no longer gray
    }

    [Fact]
    public void SegmentsImagesOfAnotherSizeThanItWasTrainedOn()
    {
        var (train, masks) = SyntheticShapes.Generate(20, 16, 3);
        var options = new SegmenterOptions { Model = new UNetConfig { Widths = [4, 8], Seed = 1 }, Training = new FitOptions { Epochs = 1, BatchSize = 10 } };
        Segmenter segmenter = Segmenter.Fit(train, masks, SyntheticShapes.Shape(16), options);
        var (large, _) = SyntheticShapes.Generate(1, 37, 4);
        int[] mask = segmenter.Segment(large.ToArray(), SyntheticShapes.Shape(37));
        Assert.Equal(37 * 37, mask.Length);
        Assert.All(mask, id => Assert.InRange(id, 0, SyntheticShapes.Classes - 1));
    }
}
