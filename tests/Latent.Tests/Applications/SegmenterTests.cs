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

public class MaskPngTests
{
    [Fact]
    public void MasksRoundTripAsGrayValuesAndPairWithTheirImagesByName()
    {
        using var dir = new TempFolder();
        Directory.CreateDirectory(dir.File("images"));
        Directory.CreateDirectory(dir.File("masks"));
        int[] ids = [0, 1, 2, 255, 7, 0];
        MaskPng.Write(dir.File("masks/a.png"), ids, 2, 3);
        Assert.Equal(ids, MaskPng.Read(dir.File("masks/a.png"), out int height, out int width));
        Assert.Equal((2, 3), (height, width));
        Latent.Imaging.PngWriter.Write(dir.File("images/a.png"), new byte[6], 3, 2, Latent.Imaging.PngColor.Gray);
        var (images, masks) = MaskPng.LoadPairs(dir.File("images"), dir.File("masks"));
        Assert.Equal(1, images.Rows);
        Assert.Equal(ids, masks);

        Assert.Contains("a PNG mask holds 0 to 255", Assert.Throws<ArgumentException>(() => MaskPng.Write(dir.File("bad.png"), [256], 1, 1)).Message);
        Assert.False(File.Exists(dir.File("bad.png")));
        Latent.Imaging.PngWriter.Write(dir.File("masks/a.png"), new byte[18], 3, 2, Latent.Imaging.PngColor.Rgb);
        Assert.Contains("masks are gray", Assert.Throws<InvalidDataException>(() => MaskPng.LoadPairs(dir.File("images"), dir.File("masks"))).Message);
        MaskPng.Write(dir.File("masks/a.png"), [0, 1], 1, 2);
        Assert.Contains("is 2×1 but the images are 3×2", Assert.Throws<InvalidDataException>(() => MaskPng.LoadPairs(dir.File("images"), dir.File("masks"))).Message);
    }
}
