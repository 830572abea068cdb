using System.Globalization;
using Latent.Applications.Colorization;
using Latent.Applications.Segmentation;
using Latent.Data;
using Latent.Engine;
using Latent.Imaging;
using Latent.Models;
using Latent.Reporting;

namespace Latent.Training.Recipes;

/// <summary>
/// A U-Net for an image-to-image task: <c>colorize</c> trains a <see cref="Colorizer"/> on colour images (classification
/// over ab bins by default, regression with the MSE loss), <c>segment</c> a <see cref="Segmenter"/> on images with their
/// masks. Judged on (at most 1000 of) the held-out images, or the training images when there are none: PSNR, SSIM and
/// colourfulness against the grayscale baseline, or IoU and Dice per class; the report shows input, prediction and truth.
/// </summary>
internal sealed class UNetTraining : TrainingRecipe
{
    private const int EvaluatedImages = 1000, ShownExamples = 8;

    public override string Kind => "unet";

    public override string Description => "a U-Net for images to images (--task colorize or segment)";

    public override bool WritesReport => true;

    public override TrainingRun Prepare(TrainSettings s)
    {
        Refuse((s.Conditional, "labels (conditional)"), (s.Convolutional, "the convolutional switch (it is convolutional)"), (s.Hidden is not null, "dense layers (use filters)"),
            (s.Scaling is not null, "a scaling (images are in [0, 1])"), (s.Beta is not null, "beta"), (s.KlWarmupEpochs is not null, "KL warm-up"),
            (s.CodeSize is not null, "a code size (a U-Net has no single code)"), (s.Noise is not null || s.NoisyData is not null, "noise"),
            (s.OutputActivation is not null, "an output activation (the task sets it)"));
        string task = s.Task ?? TrainSettings.Tasks[0];
        if (!TrainSettings.Tasks.Contains(task)) throw new ArgumentException($"A U-Net learns one of the tasks {string.Join(", ", TrainSettings.Tasks)}, not '{task}'.");
        Dataset data = s.Data;
        ImageShape shape = data.Image
            ?? throw new ArgumentException($"A U-Net needs images (a folder of PNGs, a CIFAR-10 file or a named image set); {data.Name} has plain rows.");
        if (!ValueRange.InUnitRange(data.Features)) throw new ArgumentException($"{data.Name} has values outside [0, 1]; U-Nets here take images scaled to [0, 1].");
        var d = new UNetConfig();
        UNetConfig? network = s.Filters is null && s.KernelSize is null && s.Downsampling is null && s.Upsampling is null && s.HiddenActivation is null ? null : d with
        {
            Widths = s.Filters ?? d.Widths,
            KernelSize = s.KernelSize ?? d.KernelSize,
            Downsampling = s.Downsampling ?? d.Downsampling,
            Upsampling = s.Upsampling ?? d.Upsampling,
            Activation = s.HiddenActivation ?? d.Activation,
            Seed = s.Seed,
        };
        network?.Validate();
        return task == "colorize" ? Colorize(s, data, shape, network) : Segment(s, data, shape, network);
    }

    private TrainingRun Colorize(TrainSettings s, Dataset data, ImageShape shape, UNetConfig? network)
    {
        if (s.Masks is not null) throw new ArgumentException("Colorization learns from colour images alone; masks are for --task segment.");
        if (shape.Channels != 3) throw new ArgumentException($"Colorization learns from colour images; {data.Name} is gray (for a PNG folder, give --channels 3).");
        if (s.Loss == ReconstructionLoss.BinaryCrossEntropy) throw new ArgumentException("Colorization trains by classification over colour bins or by MSE regression, not binary cross-entropy.");
        var defaults = new ColorizerOptions();
        var options = defaults with
        {
            Loss = s.Loss == ReconstructionLoss.Mse ? ColorizationLoss.Regression : defaults.Loss,
            Model = network,
            Training = s.Training(defaults.Training),
        };
        options.Validate();
        string title = $"Training a colorizer ({options.Loss.ToString().ToLowerInvariant()}) on {data.Name} ({Counted.Of(data.Rows, "image")} of {shape.Height}×{shape.Width})";
        return new TrainingRun(title, (progress, cancel) =>
        {
            Colorizer colorizer = Colorizer.Fit(data, options, progress, cancel);
            cancel.ThrowIfCancellationRequested();   // an interrupted model is not evaluated
            var (images, on) = Evaluation(s, data);
            using Tensor colourised = colorizer.Colorize(images, shape, cancel);
            using Tensor gray = Colorizer.GrayBaseline(images, shape);
            ColorizationReport r = Colorizer.Compare(images, colourised, gray, shape);
            History history = colorizer.History!;
            var summary = new List<string>
            {
                $"{colorizer.Network.Describe()}, {colorizer.Network.ParameterCount:N0} parameters; best epoch {history.BestEpoch} of {history.Epochs.Count} ({history.TotalSeconds:F1} s).",
                string.Create(CultureInfo.InvariantCulture,
                    $"On the {on}: PSNR {r.Psnr:F2} dB (grayscale {r.GrayPsnr:F2} dB), SSIM {r.Ssim:F4} (grayscale {r.GraySsim:F4}), colourfulness {r.Colorfulness:F1} (originals {r.TruthColorfulness:F1})."),
            };
            var examples = new List<(float[], float[], float[])>();
            for (int i = 0; i < Math.Min(ShownExamples, images.Dim(0)); i++)
                examples.Add((Row(gray, i), Row(colourised, i), Row(images, i)));
            return new TrainingResult(colorizer, history, colorizer.Save,
                new Dictionary<string, object?>
                {
                    ["evaluated_on"] = on, ["psnr_db"] = r.Psnr, ["psnr_gray_db"] = r.GrayPsnr, ["ssim"] = r.Ssim, ["ssim_gray"] = r.GraySsim,
                    ["colorfulness"] = r.Colorfulness, ["colorfulness_truth"] = r.TruthColorfulness,
                },
                summary,
                report: () => Report($"Colorization of {data.Name}", summary, history, ComparisonGrid.Compose(examples, shape with { Channels = 3 }),
                    "Grayscale input (left), colourised (middle), original (right)."),
                nextStep: (path, _) => $"latent colorize --model {path} --data gray.png --out colour.png");
        });
    }

    private TrainingRun Segment(TrainSettings s, Dataset data, ImageShape shape, UNetConfig? network)
    {
        int[] masks = s.Masks ?? throw new ArgumentException("Segmentation learns from images with their masks; give the masks' folder (--masks).");
        if (s.Loss is not null) throw new ArgumentException("Segmentation trains by cross-entropy plus Dice; it takes no loss setting.");
        if (s.Shift is not null) throw new ArgumentException("Segmentation does not shift its images (their masks would not follow); leave out the shift.");
        var defaults = new SegmenterOptions();
        var options = defaults with
        {
            Model = network is null ? null : network with { ConvolutionsPerBlock = 2, BatchNorm = true },
            Training = s.Training(defaults.Training),
        };
        options.Validate();
        string title = $"Training a segmenter on {data.Name} ({Counted.Of(data.Rows, "image")} of {shape.Height}×{shape.Width})";
        return new TrainingRun(title, (progress, cancel) =>
        {
            Segmenter segmenter = Segmenter.Fit(data.Features, masks, shape, options, progress, cancel);
            cancel.ThrowIfCancellationRequested();
            int n = Math.Min(EvaluatedImages, data.Rows), pixels = shape.Height * shape.Width;
            using Tensor images = Ops.Slice(data.Features, 0, 0, n);
            int[] truth = masks[..(n * pixels)];
            int[] predicted = segmenter.Segment(images, shape);
            MaskMetrics m = MaskMetrics.Of(truth, predicted, segmenter.Classes);
            History history = segmenter.History!;
            var summary = new List<string>
            {
                $"{segmenter.Network.Describe()}, {segmenter.Network.ParameterCount:N0} parameters; best epoch {history.BestEpoch} of {history.Epochs.Count} ({history.TotalSeconds:F1} s).",
                string.Create(CultureInfo.InvariantCulture,
                    $"On {Counted.Of(n, "training image")}: IoU per class {string.Join(", ", m.IoU.Select(v => v.ToString("F3", CultureInfo.InvariantCulture)))} (mean {m.MeanIoU:F3}); pixel accuracy {m.PixelAccuracy:P1}."),
            };
            var examples = new List<(float[], float[], float[])>();
            for (int i = 0; i < Math.Min(ShownExamples, n); i++)
            {
                float[] image = Row(images, i);
                float[] rgb = shape.Channels == 3 ? image : ComparisonGrid.GrayToRgb(image);
                var rgbShape = shape with { Channels = 3 };
                examples.Add((rgb, Segmenter.Overlay(rgb, rgbShape, predicted.AsSpan(i * pixels, pixels)), Segmenter.Overlay(rgb, rgbShape, truth.AsSpan(i * pixels, pixels))));
            }
            return new TrainingResult(segmenter, history, segmenter.Save,
                new Dictionary<string, object?> { ["evaluated_on"] = "training images", ["iou"] = m.IoU, ["dice"] = m.Dice, ["mean_iou"] = m.MeanIoU, ["pixel_accuracy"] = m.PixelAccuracy },
                summary,
                report: () => Report($"Segmentation of {data.Name}", summary, history, ComparisonGrid.Compose(examples, shape with { Channels = 3 }),
                    "Image (left), predicted mask (middle), true mask (right)."),
                nextStep: (path, _) => $"latent segment --model {path} --data image.png --out mask.png --overlay");
        });
    }

    /// <summary>The images to judge on: the named set's test split, else the training images (at most 1000 of either).</summary>
    private static (Tensor Images, string On) Evaluation(TrainSettings s, Dataset data)
    {
        Dataset evaluation = s.Evaluation ?? data;
        Tensor images = Ops.Slice(evaluation.Features, 0, 0, Math.Min(EvaluatedImages, evaluation.Rows));
        return (images, s.Evaluation is null ? "training images" : s.EvaluatedOn);
    }

    private static float[] Row(Tensor rows, int i) => rows.Span.Slice(i * rows.Dim(1), rows.Dim(1)).ToArray();

    private static HtmlReport Report(string title, IReadOnlyList<string> summary, History history, Raster examples, string caption)
    {
        HtmlReport report = TrainingReport.Build(new TrainingReportContent { Title = title, History = history });
        foreach (string line in summary) report.Paragraph(line);
        report.Heading("Examples");
        return report.Image(examples, caption);
    }
}
