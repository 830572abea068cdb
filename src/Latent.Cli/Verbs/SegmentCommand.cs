using System.CommandLine;
using System.Globalization;
using Latent.Applications.Segmentation;
using Latent.Cli.Terminal;
using Latent.Imaging;
using Latent.Reporting;

namespace Latent.Cli.Verbs;

/// <summary>
/// `latent segment`: writes the class mask of PNG images with a segmenter from 'latent train --kind unet --task segment'
/// (and a colour overlay on request), or, with --demo, trains one on synthetic discs and squares and reports how well it
/// tells them apart.
/// </summary>
internal static class SegmentCommand
{
    public static Command Create()
    {
        var demo = new Option<bool>("--demo") { Description = "Train a segmenter on synthetic discs and squares, score it on new ones and write the model and a report." };
        var model = new Option<string?>("--model") { Description = "A segmenter model file from 'latent train --kind unet --task segment'." };
        var data = new Option<string?>("--data") { Description = "A PNG file, or a folder of them." };
        var output = new Option<string?>("--out") { Description = "The mask PNG (gray values = class ids), or a folder for a folder input; with --demo, the run folder (default: runs/segment-demo-<time>)." };
        var overlay = new Option<string?>("--overlay") { Description = "Also write the images with their classes tinted in colour: a PNG file, or a folder for a folder input." };
        var epochs = new Option<int>("--epochs") { Description = "--demo: training epochs.", DefaultValueFactory = _ => ShapesDemo.DefaultEpochs };
        var seed = new Option<ulong>("--seed") { Description = "--demo: random seed (same seed, same result).", DefaultValueFactory = _ => 0 };
        var json = CommonOptions.Json();
        var force = CommonOptions.Force();
        var command = new Command("segment", "Label every pixel of PNG images with a segmenter (or try one on synthetic shapes with --demo).")
        {
            demo, model, data, output, overlay, epochs, seed, json, force,
        };
        command.SetAction((parse, cancel) =>
        {
            if (parse.GetValue(demo))
            {
                if (parse.GetValue(model) is not null || parse.GetValue(data) is not null || parse.GetValue(overlay) is not null)
                    throw new UsageException("--demo makes its own images and model; it takes no --model, --data or --overlay.");
                if (parse.GetValue(epochs) < 1) throw new UsageException("--epochs must be at least 1.");
                OutputFile folder = RunFolder.Claim(parse.GetValue(output), output.Name, "segment-demo", parse.GetValue(force));
                return Task.FromResult(Demo(parse.GetValue(epochs), parse.GetValue(seed), folder, parse.GetValue(json), cancel));
            }
            string modelPath = parse.GetValue(model) ?? throw new UsageException("Give --model (a segmenter), or --demo.");
            string inputPath = parse.GetValue(data) ?? throw new UsageException("Give --data (a PNG file or folder) to segment.");
            string outPath = parse.GetValue(output) ?? throw new UsageException("Give --out (where the masks go).");
            return Task.FromResult(Apply(modelPath, inputPath, outPath, parse.GetValue(overlay), parse.GetValue(json), parse.GetValue(force), cancel));
        });
        return command;
    }

    private static int Apply(string modelPath, string inputPath, string outPath, string? overlayPath, bool json, bool force, CancellationToken cancel)
    {
        Segmenter segmenter = Segmenter.Open(modelPath);
        IReadOnlyList<string> files = ImageFiles.List(inputPath);
        IReadOnlyList<string> masks = ImageFiles.Targets(inputPath, files, outPath, "--out", force, ("the images", inputPath), ("--model", modelPath));
        IReadOnlyList<string>? overlays = overlayPath is null ? null
            : ImageFiles.Targets(inputPath, files, overlayPath, "--overlay", force, ("the images", inputPath), ("--model", modelPath), ("--out", outPath));
        WorkProgressView.Run($"Segmenting {inputPath}", files.Count, "images", json, progress =>
        {
            for (int i = 0; i < files.Count; i++)
            {
                cancel.ThrowIfCancellationRequested();
                float[] image = ImageFiles.Read(files[i], segmenter.Channels, out ImageShape shape);
                int[] mask = segmenter.Segment(image, shape);
                MaskPng.Write(masks[i], mask, shape.Height, shape.Width);
                if (overlays is not null) ImageFiles.Write(overlays[i], Segmenter.Overlay(image, shape, mask), shape with { Channels = 3 });
                progress.Report(i + 1);
            }
        });
        OutputFile.CommitAll(cancel);
        if (json) JsonOutput.Print(new { images = files.Count, classes = segmenter.Classes, out_path = outPath, overlay = overlayPath });
        else Console.WriteLine($"Wrote the masks of {Counted.Of(files.Count, "image")} ({segmenter.Classes} classes) into {outPath}" + (overlayPath is null ? "." : $" and overlays into {overlayPath}."));
        return 0;
    }

    private static int Demo(int epochs, ulong seed, OutputFile folder, bool json, CancellationToken cancel)
    {
        string title = $"Training a segmenter on synthetic discs and squares ({ShapesDemo.Size}×{ShapesDemo.Size})";
        ShapesDemoResult result = json
            ? ShapesDemo.Run(epochs, seed, cancel: cancel)
            : TrainingProgressView.Run(title, progress => ShapesDemo.Run(epochs, seed, progress, cancel));
        result.Segmenter.Save(Path.Combine(folder.Staging, "model.safetensors"));
        result.Report().Save(Path.Combine(folder.Staging, "report.html"));
        OutputFile.CommitAll(cancel);
        string modelPath = Path.Combine(folder.Path, "model.safetensors"), reportPath = Path.Combine(folder.Path, "report.html");
        MaskMetrics m = result.Metrics;
        if (json)
        {
            JsonOutput.Print(new
            {
                classes = SyntheticShapes.ClassNames, iou = m.IoU, dice = m.Dice, mean_iou = m.MeanIoU, pixel_accuracy = m.PixelAccuracy,
                epochs = result.Segmenter.History!.Epochs.Count, train_seconds = result.Segmenter.History.TotalSeconds, model = modelPath, report = reportPath,
            });
            return 0;
        }
        string F(double v) => v.ToString("F3", CultureInfo.InvariantCulture);
        for (int c = 0; c < SyntheticShapes.Classes; c++)
            Console.WriteLine($"{SyntheticShapes.ClassNames[c],-10} IoU {F(m.IoU[c])}  Dice {F(m.Dice[c])}");
        Console.WriteLine($"Mean IoU {F(m.MeanIoU)} on {result.TestImages.Dim(0)} held-out images. Wrote {modelPath} and {reportPath}.");
        return 0;
    }
}
