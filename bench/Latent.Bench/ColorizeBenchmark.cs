using System.Globalization;
using Latent.Applications.Colorization;
using Latent.Applications.Segmentation;
using Latent.Bench.Reporting;
using Latent.Data;
using Latent.Engine;
using Latent.Imaging;
using Latent.Models;
using Latent.Training;

namespace Latent.Bench;

/// <summary>
/// `colorize`: grayscale → colour on the CIFAR-10 subset ($LATENT_DATA/cifar10: 4000 training, 1000 test images) for the
/// same wall-clock budget on each side: shared/reference/colorize_baseline.py (PyTorch's small U-Net, MSE on ab), then the
/// same U-Net and recipe run by us (the compared pair: speed and PSNR), then our default colorizer (classification over ab
/// bins, rebalanced, annealed mean) for the same budget; PSNR, SSIM and colourfulness of each against the grayscale
/// baseline; and the segmenter on the synthetic shapes (IoU). Writes bench-results/colorize.json (see <see cref="Results"/>).
/// The default colorizer is also scored at other annealed-mean temperatures and saturations (no retraining): the
/// PSNR/vividness trade-off. The default's settings are chosen by `colorize --validate` (<see cref="ColorizeValidation"/>).
/// Options: --budget=S (300, the reference's), --threads=N (2), --quick (the reference's smoke subset, 512 training and
/// 200 test images, a 20 s budget), --no-reference (ours only), --validate.
/// </summary>
internal static class ColorizeBenchmark
{
    private const string Name = "colorize";
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private static readonly ImageShape Shape = ImageShape.Rgb(32, 32);

    /// <summary>One training of ours: its speed, epochs, seconds and scores, and the colorizer.</summary>
    private sealed record Outcome(double SamplesPerSecond, int Epochs, double Seconds, ColorizationReport Report, Colorizer Colorizer);

    /// <summary>
    /// The default colorizer decoded otherwise (no retraining), to show the PSNR/vividness trade-off on the test images
    /// (shown, not chosen on them): other annealed-mean temperatures (classification) and saturation factors.
    /// </summary>
    private static IEnumerable<(string Label, Colorizer Variant)> Variants(Colorizer colorizer)
    {
        if (colorizer.Loss == ColorizationLoss.Classification)
            foreach (float t in new[] { 0.2f, 0.6f, 1f })
                yield return (string.Create(Inv, $"at T {t}"), colorizer.WithTemperature(t));
        foreach (float s in new[] { 1f, 1.2f, 1.4f }.Where(s => s != colorizer.Saturation))
            yield return (string.Create(Inv, $"with saturation ×{s}"), colorizer.WithSaturation(s));
    }

    public static int Run(string[] args)
    {
        bool quick = args.Contains("--quick"), withReference = !args.Contains("--no-reference");
        double budget = BenchOptions.Float(args, "--budget", quick ? 20 : 300);
        int threads = BenchOptions.Int(args, "--threads", 2);
        Parallelism.Threads = threads;
        string data = Path.Combine(Environment.GetEnvironmentVariable("LATENT_DATA") is { Length: > 0 } d ? d : Path.Combine("..", "shared", "data"), "cifar10");
        Tensor train = Cifar10File.Read(Path.Combine(data, "data_batch_1_first4000.bin"), quick ? 512 : null).Features;
        if (args.Contains("--validate")) return ColorizeValidation.Run(train, args);
        Tensor test = Cifar10File.Read(Path.Combine(data, "test_batch_first1000.bin"), quick ? 200 : null).Features;
        var defaults = new ColorizerOptions();
        string[] protocol =
        [
            $"{Name}: grayscale → colour on CIFAR-10 ({train.Dim(0)} training, {test.Dim(0)} test images{(quick ? ", the reference's smoke subset" : "")}), a budget of {budget:F0} s of training per model, {threads} thread(s) on both sides",
            "compared pair (the reference's recipe on both sides): U-Net 1→32-64-128-128 (stride-2 3×3 convolutions down, nearest ×2 + concatenated skip + 3×3 convolution up, ReLU, 3×3 head to 2), input L/100, output ab/110, MSE, Adam 1e-3, batch 64, shuffled, no validation split, PyTorch's initialisation, seed 0",
            string.Create(Inv, $"our default colorizer (ColorizerOptions, beside): the same U-Net with a 1×1 head over the sRGB gamut's ab bins (grid {defaults.GridSize}: 261), soft-encoded targets ({defaults.Neighbours} neighbours, σ {defaults.Sigma}), rebalancing λ {defaults.Rebalancing}, annealed mean T {defaults.Temperature}, saturation ×{defaults.Saturation}{(defaults.Mirror ? ", training images mirrored at random" : "")}{(defaults.Shift > 0 ? $", shifted by up to {defaults.Shift} px" : "")}, the same optimiser, batch and budget; trained on {1 - defaults.Training.ValidationFraction:P0} of the training images, keeping the epoch best on the other {defaults.Training.ValidationFraction:P0} (chosen with `colorize --validate`, on training images only)"),
            "budget: whole epochs until the next would exceed the budget (cumulative epoch time + the median epoch so far), the reference's rule on both sides",
            "quality: on the test images, each reduced to its lightness, colourised, rounded to 8 bits: PSNR per image (capped at 60 dB) averaged, SSIM (Gaussian 11×11, σ 1.5, valid windows) per RGB channel averaged, colourfulness (Hasler and Süsstrunk) averaged; the grayscale baseline keeps L with a = b = 0",
            "speed: training samples/s = rows / median epoch time of epochs 2..N (common.median), the same rule on both sides; the reference runs first, then ours",
            $"segmentation: the segmenter demo (ShapesDemo: {ShapesDemo.DefaultEpochs} epochs on 800 synthetic {ShapesDemo.Size}×{ShapesDemo.Size} discs and squares), IoU on 100 new images",
        ];
        foreach (string line in protocol) Console.WriteLine("# " + line);

        ReferenceResult? reference = null;
        if (withReference)
        {
            var referenceArgs = new List<string> { string.Create(Inv, $"--budget={budget}"), $"--threads={threads}" };
            if (quick) referenceArgs.AddRange([QuickRun.ReferenceFlag, "--epochs=1000"]);
            reference = ReferenceScript.Run("colorize_baseline.py", referenceArgs);
        }

        var monitor = new CpuMonitor();
        using Tensor gray = Colorizer.GrayBaseline(test, Shape);
        var recipe = new ColorizerOptions
        {
            Loss = ColorizationLoss.Regression,
            Model = new UNetConfig(),
            Training = new FitOptions { Epochs = 1000, BatchSize = 64, LearningRate = 1e-3f, ValidationFraction = 0, Seed = 0 },
        };
        Outcome compared = Train("ours, reference recipe", train, test, gray, recipe, budget);
        // The default as a user gets it (its held-out split picks the best epoch), with its epochs set by the budget instead.
        Outcome ours = Train("ours, default colorizer", train, test, gray, defaults with { Training = defaults.Training with { Epochs = 1000 } }, budget);
        foreach (var (label, variant) in Variants(ours.Colorizer))
        {
            using Tensor decoded = variant.Colorize(test, Shape);
            ColorizationReport at = Colorizer.Compare(test, decoded, gray, Shape);
            Console.WriteLine(string.Create(Inv, $"ours, default colorizer decoded {label}: test PSNR {at.Psnr:F2} dB, SSIM {at.Ssim:F4}, colourfulness {at.Colorfulness:F1}"));
        }
        ShapesDemoResult shapes = ShapesDemo.Run(quick ? 3 : ShapesDemo.DefaultEpochs);
        double? foreign = monitor.ForeignCores();
        Console.WriteLine(string.Create(Inv, $"ours: segmentation IoU per class {string.Join(", ", shapes.Metrics.IoU.Select(v => v.ToString("F3", Inv)))}; other processes used {(foreign is { } f ? f.ToString("F2", Inv) : "?")} cores"));

        ColorizationReport c = compared.Report, o = ours.Report;
        double? torchSpeed = null, torchPsnr = null;
        if (reference?.Json is { } r)
        {
            torchSpeed = Statistics.TrainingSpeed(r.GetProperty("n_train").GetInt32(), r.Doubles("epoch_seconds"));
            torchPsnr = r.GetProperty("unet_psnr_db").GetDouble();
        }
        string Torch(double? v, string format) => v is { } x ? x.ToString(format, Inv) : "-";
        Console.WriteLine();
        Console.WriteLine("| metric | ours, reference recipe | PyTorch, reference recipe | our default colorizer | grayscale | originals |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: |");
        Console.WriteLine(string.Create(Inv, $"| training samples/s | {compared.SamplesPerSecond:F0} | {Torch(torchSpeed, "F0")} | {ours.SamplesPerSecond:F0} | | |"));
        Console.WriteLine(string.Create(Inv, $"| epochs in {budget:F0} s | {compared.Epochs} | {(reference?.Json is { } e ? e.GetProperty("epochs").GetInt32().ToString(Inv) : "-")} | {ours.Epochs} | | |"));
        Console.WriteLine(string.Create(Inv, $"| test PSNR (dB) | {c.Psnr:F2} | {Torch(torchPsnr, "F2")} | {o.Psnr:F2} | {o.GrayPsnr:F2} | |"));
        Console.WriteLine(string.Create(Inv, $"| test SSIM | {c.Ssim:F4} | {Torch(reference?.Json?.GetProperty("unet_ssim").GetDouble(), "F4")} | {o.Ssim:F4} | {o.GraySsim:F4} | |"));
        Console.WriteLine(string.Create(Inv, $"| colourfulness | {c.Colorfulness:F1} | | {o.Colorfulness:F1} | 0 | {o.TruthColorfulness:F1} |"));
        string ratio = torchSpeed is { } ts ? (compared.SamplesPerSecond / ts).ToString("F2", Inv) : "-";
        Console.WriteLine(string.Create(Inv,
            $"{Name}: psnr ours {o.Psnr:F2} torch {Torch(torchPsnr, "F2")} gray {o.GrayPsnr:F2}, ssim ours {o.Ssim:F4} gray {o.GraySsim:F4}, " +
            $"colourfulness ours {o.Colorfulness:F1} truth {o.TruthColorfulness:F1}, speed ratio {ratio}; segment iou {shapes.Metrics.MeanIoU:F3}" +
            $" (ours with the reference's recipe: psnr {c.Psnr:F2}, colourfulness {c.Colorfulness:F1}){(quick ? " [quick run: not comparable]" : "")}"));

        string peer = reference?.Json is { } j ? j.PeerName() : "PyTorch";
        Results.Add(new BenchResult("training samples/s, the reference's U-Net and recipe", compared.SamplesPerSecond, "samples/s", HigherIsBetter: true) { Peer = peer, PeerValue = torchSpeed });
        Results.Add(new BenchResult("test PSNR, the reference's recipe", c.Psnr, "dB", HigherIsBetter: true) { Peer = peer, PeerValue = torchPsnr });
        Results.Add(new BenchResult("test PSNR, our default colorizer", o.Psnr, "dB", HigherIsBetter: true)
            { Peer = "grayscale (L, a = b = 0)", PeerValue = o.GrayPsnr, PeerKind = PeerKind.Baseline });
        Results.Add(new BenchResult("test SSIM, our default colorizer", o.Ssim, "", HigherIsBetter: true)
            { Peer = "grayscale (L, a = b = 0)", PeerValue = o.GraySsim, PeerKind = PeerKind.Baseline });
        Results.Add(new BenchResult("colourfulness, our default colorizer", o.Colorfulness, "", HigherIsBetter: true)
            { Peer = "the test originals", PeerValue = o.TruthColorfulness, PeerKind = PeerKind.Baseline, Note = "Hasler and Süsstrunk's M on the 0–255 scale; closer to the originals is better" });
        Results.Add(new BenchResult("segmentation mean IoU, synthetic shapes", shapes.Metrics.MeanIoU, "", HigherIsBetter: true));
        return reference is null || reference.Succeeded ? 0 : 1;
    }

    /// <summary>Trains for whole epochs while the next one fits in the budget (the reference's rule), then scores on the test images.</summary>
    private static Outcome Train(string name, Tensor train, Tensor test, Tensor gray, ColorizerOptions options, double budget)
    {
        using var stop = new CancellationTokenSource();
        var seconds = new List<double>();
        var progress = new InlineProgress<TrainingProgress>(p =>
        {
            if (p.EpochEnded is not { } e) return;
            seconds.Add(e.Seconds);
            Console.WriteLine(string.Create(Inv, $"{name}: epoch {e.Epoch}: {e.Seconds:F1} s, {e.SamplesPerSecond:F0} samples/s, train loss {e.TrainLoss:F5}"));
            double[] sorted = [.. seconds.Order()];
            if (seconds.Sum() + sorted[sorted.Length / 2] > budget) stop.Cancel();
        });
        Colorizer colorizer = Colorizer.Fit(train, Shape, options, progress, stop.Token);
        IReadOnlyList<EpochReport> history = colorizer.History!.Epochs;
        using Tensor colourised = colorizer.Colorize(test, Shape);
        ColorizationReport report = Colorizer.Compare(test, colourised, gray, Shape);
        Console.WriteLine(string.Create(Inv, $"{name}: {history.Count} epochs in {seconds.Sum():F0} s; test PSNR {report.Psnr:F2} dB, SSIM {report.Ssim:F4}, colourfulness {report.Colorfulness:F1}"));
        return new Outcome(Statistics.TrainingSpeed(history), history.Count, seconds.Sum(), report, colorizer);
    }
}
