using System.Globalization;
using Latent.Applications.Colorization;
using Latent.Engine;
using Latent.Imaging;
using Latent.Models;
using Latent.Training;

namespace Latent.Bench;

/// <summary>
/// `colorize --validate`: chooses the default colorizer's recipe on images the benchmark's figures are not measured on:
/// a seeded 3,600 / 400 split of the 4,000 training images (the test images are not read). Each recipe trains on the
/// 3,600 for a fixed number of epochs (about the benchmark's 300 s at 2 threads on a quiet machine) and is scored on the
/// 400 at several saturation factors (and, for classification, annealed-mean temperatures), decoded without retraining.
/// Also an upper bound no colorizer of this kind reaches: each validation image given its own mean (a, b) (a per-image
/// constant colour, chosen knowing the truth).
/// Options: --recipes=1,2,… (all), --regression-epochs=N (25), --classification-epochs=N (14), --threads=N (2), --quick.
/// </summary>
internal static class ColorizeValidation
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private static readonly ImageShape Shape = ImageShape.Rgb(32, 32);
    private static readonly float[] Saturations = [1f, 1.1f, 1.2f, 1.3f, 1.4f, 1.5f];
    private static readonly float[] Temperatures = [0.38f, 0.5f, 0.7f, 1f];

    public static int Run(Tensor train, string[] args)
    {
        bool quick = args.Contains("--quick");
        int regressionEpochs = quick ? 1 : BenchOptions.Int(args, "--regression-epochs", 25);
        int classificationEpochs = quick ? 1 : BenchOptions.Int(args, "--classification-epochs", 14);
        string? only = args.FirstOrDefault(a => a.StartsWith("--recipes=", StringComparison.Ordinal))?["--recipes=".Length..];
        HashSet<int>? chosen = only is null ? null : [.. only.Split(',').Select(int.Parse)];
        int[] order = new Rng(12345).Permutation(train.Dim(0));
        int held = train.Dim(0) / 10;
        using Tensor fit = Ops.SelectRows(train, order[held..]), validation = Ops.SelectRows(train, order[..held]);
        using Tensor gray = Colorizer.GrayBaseline(validation, Shape);
        Console.WriteLine($"# colorize --validate: fit on {fit.Dim(0)} training images, scored on {validation.Dim(0)} held-out training images; seed 0; {Parallelism.Threads} thread(s)");
        using Tensor oracle = MeanColourOracle(validation);
        ColorizationReport bound = Colorizer.Compare(validation, oracle, gray, Shape);
        Console.WriteLine(string.Create(Inv, $"grayscale: PSNR {bound.GrayPsnr:F2} dB, SSIM {bound.GraySsim:F4}; originals' colourfulness {bound.TruthColorfulness:F1}"));
        Console.WriteLine(string.Create(Inv, $"oracle (each image its own mean a, b): PSNR {bound.Psnr:F2} dB, SSIM {bound.Ssim:F4}, colourfulness {bound.Colorfulness:F1}"));

        var regression = new ColorizerOptions
        {
            Loss = ColorizationLoss.Regression,
            Model = new UNetConfig(),
            Training = new FitOptions { Epochs = regressionEpochs, BatchSize = 64, LearningRate = 1e-3f, ValidationFraction = 0, Seed = 0 },
        };
        var held5 = regression with { Training = regression.Training with { ValidationFraction = 0.05f } };
        var recipes = new (string Name, ColorizerOptions Options)[]
        {
            ("regression, the reference's recipe (last epoch)", regression),
            ("regression, best of 5 % held out", held5),
            ("regression, best of 5 %, mirrored", held5 with { Mirror = true }),
            ("regression, best of 5 %, mirrored, shifts ≤ 2 px", held5 with { Mirror = true, Shift = 2 }),
            ("regression, best of 5 %, mirrored, shifts ≤ 2 px, AdamW 0.05", held5 with { Mirror = true, Shift = 2, Training = held5.Training with { Optimizer = OptimizerKind.AdamW, WeightDecay = 0.05f } }),
            ("classification, best of 5 %, mirrored", new ColorizerOptions { Mirror = true, Training = held5.Training with { Epochs = classificationEpochs } }),
            ("classification, best of 5 %, mirrored, shifts ≤ 2 px", new ColorizerOptions { Mirror = true, Shift = 2, Training = held5.Training with { Epochs = classificationEpochs } }),
            ("classification, best of 5 %", new ColorizerOptions { Training = held5.Training with { Epochs = classificationEpochs } }),
        };
        for (int r = 0; r < recipes.Length; r++)
        {
            if (chosen is not null && !chosen.Contains(r + 1)) continue;
            var (name, options) = recipes[r];
            Colorizer colorizer = Colorizer.Fit(fit, Shape, options);
            History history = colorizer.History!;
            string losses = string.Join(" ", history.Epochs.Select(e => (e.ValidationLoss ?? e.TrainLoss).ToString("F4", Inv)));
            Console.WriteLine(string.Create(Inv, $"({r + 1}) {name}: {history.Epochs.Count} epochs, {history.TotalSeconds:F0} s, best epoch {history.BestEpoch}; {(options.Training.ValidationFraction > 0 ? "held-out" : "training")} loss by epoch: {losses}"));
            Console.WriteLine("| recipe | T | saturation | PSNR dB | SSIM | colourfulness |");
            Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: |");
            foreach (float t in colorizer.Loss == ColorizationLoss.Classification ? Temperatures : [colorizer.Temperature])
                foreach (float s in Saturations)
                {
                    using Tensor colourised = colorizer.WithTemperature(t).WithSaturation(s).Colorize(validation, Shape);
                    ColorizationReport v = Colorizer.Compare(validation, colourised, gray, Shape);
                    string temperature = colorizer.Loss == ColorizationLoss.Classification ? t.ToString("F2", Inv) : "-";
                    Console.WriteLine(string.Create(Inv, $"| ({r + 1}) | {temperature} | {s:F1} | {v.Psnr:F2} | {v.Ssim:F4} | {v.Colorfulness:F1} |"));
                }
        }
        return 0;
    }

    /// <summary>Each image with its lightness and its own mean (a, b) at every pixel, as RGB rows.</summary>
    private static Tensor MeanColourOracle(Tensor rgb)
    {
        int n = rgb.Dim(0), pixels = Shape.Height * Shape.Width;
        var result = Tensor.Zeros(n, Shape.Size);
        Parallel.For(0, n, i =>
        {
            var lab = new float[Shape.Size];
            ColorSpaces.RgbToLab(rgb.Span.Slice(i * Shape.Size, Shape.Size), lab, pixels);
            for (int c = 1; c < 3; c++)
            {
                Span<float> plane = lab.AsSpan(c * pixels, pixels);
                float mean = 0;
                foreach (float v in plane) mean += v;
                plane.Fill(mean / pixels);
            }
            Span<float> row = result.Span.Slice(i * Shape.Size, Shape.Size);
            ColorSpaces.LabToRgb(lab, row, pixels);
            for (int k = 0; k < row.Length; k++) row[k] = Math.Clamp(row[k], 0f, 1f);
        });
        return result;
    }
}
