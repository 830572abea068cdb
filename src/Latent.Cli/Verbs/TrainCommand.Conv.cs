using System.CommandLine;
using System.Globalization;
using Latent.Applications.Denoising;
using Latent.Cli.Terminal;
using Latent.Data;
using Latent.Engine;
using Latent.Imaging;
using Latent.Models;
using Latent.Training;

namespace Latent.Cli.Verbs;

/// <summary>
/// `latent train --model conv`: a convolutional autoencoder on image data (a named image set, an IDX file or a folder of
/// PNGs, sub-folders being classes); with --noise it learns to remove that noise (a model for 'latent denoise'), and with
/// --noisy it learns from given noisy/clean pairs.
/// </summary>
internal static partial class TrainCommand
{
    private sealed class ConvOptions
    {
        public Option<string> Filters { get; } = new("--filters") { Description = "conv: encoder channels per level, comma-separated; the decoder mirrors them.", DefaultValueFactory = _ => "64,32,16" };
        public Option<int> Kernel { get; } = new("--kernel") { Description = "conv: kernel size.", DefaultValueFactory = _ => 3 };
        public Option<string> Down { get; } = new Option<string>("--downsampling") { Description = "conv: max-pool or strided (convolutions of stride 2).", DefaultValueFactory = _ => "max-pool" }
            .AcceptOnlyFromAmong("max-pool", "strided");
        public Option<string> Up { get; } = new Option<string>("--upsampling") { Description = "conv: nearest, bilinear or transposed (convolutions).", DefaultValueFactory = _ => "nearest" }
            .AcceptOnlyFromAmong("nearest", "bilinear", "transposed");
        public NoiseOptions Noise { get; } = new(allowNone: true);
        public Option<string?> Noisy { get; } = new("--noisy") { Description = "conv: noisy versions of the --data images, in the same order (a folder with the same file names), to learn noisy → clean pairs." };
        public Option<string?> Size { get; } = new("--size") { Description = "conv, PNG folders: resize every image to HEIGHTxWIDTH (default: the first image's size, all must match)." };
        public Option<int?> Channels { get; } = new("--channels") { Description = "conv, PNG folders: 1 (gray) or 3 (RGB); default: gray when every image is gray." };

        public IEnumerable<Option> All => [Filters, Kernel, Down, Up, Noise.Kind, Noise.Level, Noisy, Size, Channels];
    }

    private static int TrainConv(ParseResult parse, ConvOptions conv, string dataSpec, string? dataDir, string lossName, int? code,
        FitOptions options, bool implicitBatch, bool implicitRate, int shift, string outPath, bool quiet, CancellationToken cancel)
    {
        var folderOptions = new ImageFolderOptions { Size = ParseSize(parse.GetValue(conv.Size)), Channels = parse.GetValue(conv.Channels) };
        Dataset dataset = LoadImages(dataSpec, dataDir, folderOptions, Split.Train);
        ImageShape shape = dataset.Image!.Value;
        ImageNoise? noise = conv.Noise.TryParse(parse);
        string? noisySpec = parse.GetValue(conv.Noisy);
        if (noise is not null && noisySpec is not null) throw new UsageException("Use either --noise (noise is added while training) or --noisy (given pairs), not both.");

        var defaults = new DenoiserOptions();
        // The conv recipe (see DenoiserOptions.Training) unless the user chose otherwise.
        if (implicitBatch) options = options with { BatchSize = defaults.Training.BatchSize };
        if (implicitRate) options = options with { LearningRate = defaults.Training.LearningRate };
        options = options with { Schedule = defaults.Training.Schedule, Shift = CommonOptions.ShiftFor(shift, dataset) };
        var config = new ConvAutoencoderConfig
        {
            Channels = shape.Channels, Height = shape.Height, Width = shape.Width,
            Filters = CommonOptions.ParseWidths(parse.GetValue(conv.Filters)!, "--filters"),
            KernelSize = CommonOptions.Positive(parse.GetValue(conv.Kernel), "--kernel"),
            Downsampling = parse.GetValue(conv.Down) == "strided" ? Downsampling.StridedConv : Downsampling.MaxPool,
            Upsampling = parse.GetValue(conv.Up) switch { "bilinear" => Upsampling.Bilinear, "transposed" => Upsampling.TransposedConv, _ => Upsampling.Nearest },
            CodeSize = code,
            Loss = lossName == "mse" ? ReconstructionLoss.Mse : ReconstructionLoss.BinaryCrossEntropy,
            Seed = options.Seed,
        };
        if (!ValueRange.InUnitRange(dataset.Features)) throw new InvalidDataException($"{dataset.Name} has values outside [0, 1]; convolutional models here take images scaled to [0, 1].");

        string what = noise is not null ? $"a denoiser ({noise})" : noisySpec is not null ? "a denoiser on noisy/clean pairs" : "a convolutional autoencoder";
        string title = $"Training {what} on {dataset.Name} ({dataset.Rows:N0} images of {shape.Channels}×{shape.Height}×{shape.Width})";
        var denoiserOptions = new DenoiserOptions { Noise = noise ?? defaults.Noise, Model = config, Training = options };
        ConvAutoencoder model;
        History history;
        if (noise is null && noisySpec is null)
        {
            model = new ConvAutoencoder(config) { Data = DataDescription.Of(dataset) };
            history = quiet ? model.Fit(dataset.Features, options, cancel: cancel)
                : TrainingProgressView.Run(title, progress => model.Fit(dataset.Features, options, progress, cancel));
        }
        else
        {
            Tensor? noisyRows = null;
            if (noisySpec is not null)
            {
                noisyRows = LoadImages(noisySpec, dataDir, folderOptions with { Size = (shape.Height, shape.Width), Channels = shape.Channels }, Split.Train).Features;
                if (noisyRows.Dim(0) != dataset.Rows) throw new InvalidDataException($"--noisy has {noisyRows.Dim(0)} images but --data has {dataset.Rows}; they must pair up.");
            }
            Denoiser Fit(IProgress<TrainingProgress>? progress) => noisyRows is null
                ? Denoiser.Fit(dataset.Features, shape, denoiserOptions, progress, cancel)
                : Denoiser.FitPairs(noisyRows, dataset.Features, shape, denoiserOptions, progress, cancel);
            Denoiser denoiser = quiet ? Fit(null) : TrainingProgressView.Run(title, Fit);
            (model, history) = (denoiser.Model, denoiser.History!);
        }
        if (history.StopReason == StopReason.Cancelled) throw new OperationCanceledException();
        model.Save(outPath);

        // Evaluate on the test split of a named set, else on the training images.
        Dataset evaluation = Datasets.IsKnown(dataSpec) ? DataSource.Load(dataSpec, Split.Test, dataDir) : dataset;
        string evaluatedOn = evaluation == dataset ? "training images" : $"{evaluation.Name} test split";
        DenoisingReport? report = null;
        float mse;
        if (noise is not null)
        {
            using Tensor noisy = noise.Apply(evaluation.Features, new Rng(12345));
            report = Denoiser.From(model).Evaluate(evaluation.Features, noisy);
        }
        mse = model.ReconstructionError(evaluation.Features).Average();
        if (quiet)
        {
            JsonOutput.Print(new
            {
                model = outPath, epochs = history.Epochs.Count, best_epoch = history.BestEpoch, stop_reason = history.StopReason.ToString(),
                train_loss = history.Epochs[^1].TrainLoss, validation_loss = history.Epochs[^1].ValidationLoss, train_seconds = history.TotalSeconds,
                reconstruction_mse = mse, evaluated_on = evaluatedOn,
                psnr_noisy_db = report?.NoisyPsnr, psnr_denoised_db = report?.DenoisedPsnr, ssim_noisy = report?.NoisySsim, ssim_denoised = report?.DenoisedSsim,
            });
            return 0;
        }
        Console.WriteLine($"{model.Describe()}, {model.ParameterCount:N0} parameters; best epoch {history.BestEpoch} of {history.Epochs.Count} ({history.TotalSeconds:F1} s).");
        if (report is not null)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"On the {evaluatedOn} with {noise}: PSNR {report.NoisyPsnr:F2} dB noisy → {report.DenoisedPsnr:F2} dB denoised; SSIM {report.NoisySsim:F3} → {report.DenoisedSsim:F3}."));
        else
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Reconstruction MSE {mse:G4} on the {evaluatedOn}."));
        Console.WriteLine($"Saved {outPath}." + (report is null ? "" : $" Try: latent noise --data {dataSpec} --split test --out digits, then latent denoise --model {outPath} digits/noisy --out digits/denoised --reference digits/clean"));
        return 0;
    }

    /// <summary>A folder of PNGs, or a named set or file through <see cref="DataSource"/>; either way it must be images.</summary>
    private static Dataset LoadImages(string spec, string? dataDir, ImageFolderOptions folder, Split split)
    {
        Dataset dataset = Directory.Exists(spec) ? ImageFolder.Load(spec, folder).Dataset : DataSource.Load(spec, split, dataDir);
        if (dataset.Image is null)
            throw new UsageException($"--model conv needs images (a named image set, an IDX images file or a folder of PNGs); {dataset.Name} has plain rows.");
        return dataset;
    }

    private static (int Height, int Width)? ParseSize(string? text)
    {
        if (text is null) return null;
        string[] parts = text.Split('x', 'X', '×');
        if (parts.Length == 2 && int.TryParse(parts[0], CultureInfo.InvariantCulture, out int h) && int.TryParse(parts[1], CultureInfo.InvariantCulture, out int w) && h > 0 && w > 0)
            return (h, w);
        throw new UsageException($"--size must be HEIGHTxWIDTH, e.g. 64x64, not '{text}'.");
    }
}
