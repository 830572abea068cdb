using System.CommandLine;
using System.Globalization;
using Latent.Applications.Segmentation;
using Latent.Cli.Terminal;
using Latent.Data;
using Latent.Imaging;
using Latent.Models;
using Latent.Training;
using Latent.Training.Recipes;

namespace Latent.Cli.Verbs;

/// <summary>
/// `latent train`: loads the data, hands the user's choices to the library's training recipe of the chosen kind
/// (<see cref="TrainingRecipe"/>), shows its progress and writes the model (plus an optional HTML report). Every
/// default is the recipe's: an option left out is passed as null.
/// </summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var data = CommonOptions.Data();
        var dataDir = CommonOptions.DataDir();
        var labelColumn = CommonOptions.LabelColumn();
        var exclude = CommonOptions.Exclude();
        var output = CommonOptions.Out("Where to save the model (.safetensors).");
        var kind = new Option<string>("--kind")
        {
            Description = string.Join("; ", TrainingRecipe.All.Select(r => $"{r.Kind}: {r.Description}")) + ".",
            DefaultValueFactory = _ => TrainingRecipe.All[0].Kind,
        }.AcceptOnlyFromAmong([.. TrainingRecipe.All.Select(r => r.Kind)]);
        var hidden = new Option<string?>("--hidden") { Description = "Encoder layer widths, comma-separated; the decoder mirrors them. [default: the model's]" };
        var code = new Option<int?>("--code") { Description = "Code (bottleneck) size. [default: the model's]" };
        var activation = new Option<string?>("--activation") { Description = "Hidden-layer activation. [default: the model's]" }.AcceptOnlyFromAmong([.. TrainSettings.ActivationNames]);
        var outputActivation = new Option<string>("--output-activation") { Description = "Output activation: sigmoid for data in [0, 1], identity otherwise; auto decides from the data.", DefaultValueFactory = _ => "auto" }
            .AcceptOnlyFromAmong("auto", "sigmoid", "identity");
        var loss = new Option<string>("--loss") { Description = "Reconstruction loss: mse or bce (binary cross-entropy, needs a sigmoid output); for a vae, bce is a Bernoulli and mse a Gaussian likelihood; auto decides from the data.", DefaultValueFactory = _ => "auto" }
            .AcceptOnlyFromAmong("auto", "mse", "bce");
        var scaling = new Option<string>("--scaling") { Description = "Column scaling learned with the model; auto: none for data in [0, 1], standard otherwise.", DefaultValueFactory = _ => "auto" }
            .AcceptOnlyFromAmong("auto", "none", "min-max", "standard");
        var epochs = new Option<int?>("--epochs") { Description = "Training epochs. [default: the model's recipe]" };
        var batchSize = new Option<int?>("--batch-size") { Description = "Rows per training step. [default: the model's recipe]" };
        var learningRate = new Option<float?>("--learning-rate") { Description = "Adam learning rate. [default: the model's recipe]" };
        var validation = new Option<float?>("--validation") { Description = "Fraction of rows held out for validation. [default: the model's recipe]" };
        var patience = new Option<int?>("--patience") { Description = "Stop after this many epochs without a better validation loss." };
        var seed = new Option<ulong>("--seed") { Description = "Random seed (same seed, same model).", DefaultValueFactory = _ => 0 };
        var shift = CommonOptions.Shift();
        var report = new Option<string?>("--report") { Description = "Also write an HTML report of the run to this file (dense)." };
        var json = CommonOptions.Json();
        var force = CommonOptions.Force();

        var conditional = new Option<bool>("--conditional") { Description = "vae: condition on the data's labels (a CVAE), so that 'generate --label' can ask for a class." };
        var beta = new Option<float?>("--beta") { Description = "vae: weight of the KL term (1 = the ELBO)." };
        var klWarmup = new Option<int?>("--kl-warmup") { Description = "vae: epochs over which the KL weight rises from 0." };
        var convolutional = new Option<bool>("--convolutional") { Description = "vae: strided convolutions instead of dense layers (image data; --filters gives the channels)." };
        var filters = new Option<string?>("--filters") { Description = "conv, convolutional vae: channels per level, comma-separated; the decoder mirrors them. [default: the model's]" };
        var kernel = new Option<int?>("--kernel") { Description = "conv, convolutional vae: kernel size. [default: the model's]" };
        var down = new Option<string?>("--downsampling") { Description = "conv: max-pool or strided (convolutions of stride 2). [default: the model's]" }.AcceptOnlyFromAmong("max-pool", "strided");
        var up = new Option<string?>("--upsampling") { Description = "conv: nearest, bilinear or transposed (convolutions). [default: the model's]" }.AcceptOnlyFromAmong("nearest", "bilinear", "transposed");
        var noise = new NoiseOptions(allowNone: true);
        var noisy = new Option<string?>("--noisy") { Description = "conv: noisy versions of the --data images, in the same order (a folder with the same file names), to learn noisy → clean pairs." };
        var size = new Option<string?>("--size") { Description = "PNG folders: resize every image to HEIGHTxWIDTH (default: the first image's size, all must match)." };
        var channels = new Option<int?>("--channels") { Description = "PNG folders: 1 (gray) or 3 (RGB); default: gray when every image is gray." };
        var task = new Option<string?>("--task") { Description = "unet: colorize (learn colour from colour images; --loss mse for regression) or segment (needs --masks). [default: colorize]" }
            .AcceptOnlyFromAmong([.. TrainSettings.Tasks]);
        var masks = new Option<string?>("--masks") { Description = "unet --task segment: a folder of mask PNGs (gray values = class ids) named as the --data images." };

        var command = new Command("train", "Train an autoencoder and save it as a safetensors model file.")
        {
            data, dataDir, labelColumn, exclude, output, kind, hidden, code, activation, outputActivation, loss, scaling, epochs, batchSize,
            learningRate, validation, patience, seed, shift, report, json, conditional, beta, klWarmup, convolutional,
            filters, kernel, down, up, noise.Kind, noise.Level, noisy, size, channels, task, masks, force,
        };
        int Execute(ParseResult parse, CancellationToken cancel)
        {
            string outPath = parse.GetValue(output)!, dataSpec = parse.GetValue(data)!;
            string? reportPath = parse.GetValue(report), dataFolder = parse.GetValue(dataDir);
            TrainingRecipe recipe = TrainingRecipe.Find(parse.GetValue(kind)!);
            if (reportPath is not null && !recipe.WritesReport)
                throw new UsageException($"--report is written for --kind {string.Join(", ", TrainingRecipe.All.Where(r => r.WritesReport).Select(r => r.Kind))} only, not {recipe.Kind}.");
            if (recipe.Kind != "unet" && (parse.GetValue(task) is not null || parse.GetValue(masks) is not null))
                throw new UsageException("--task and --masks are for --kind unet.");
            (string, string?)[] inputs = [(data.Name, dataSpec), (noisy.Name, parse.GetValue(noisy)), (masks.Name, parse.GetValue(masks))];
            OutputFile modelFile = OutputFile.File(outPath, output.Name, parse.GetValue(force), inputs);
            OutputFile? reportFile = reportPath is null ? null : OutputFile.File(reportPath, report.Name, parse.GetValue(force), inputs);

            var folderOptions = new ImageFolderOptions { Size = ParseSize(parse.GetValue(size)), Channels = parse.GetValue(channels) };
            Dataset dataset;
            int[]? maskIds = null;
            if (parse.GetValue(masks) is { } masksFolder) (dataset, maskIds) = MaskPng.LoadPairs(dataSpec, masksFolder, folderOptions);
            else dataset = Load(dataSpec, dataFolder, folderOptions, CommonOptions.Columns(parse, labelColumn, exclude));
            Dataset? noisyData = null;
            if (parse.GetValue(noisy) is { } noisySpec)
            {
                ImageShape shape = dataset.Image ?? throw new ArgumentException($"--noisy pairs images, and {dataset.Name} has plain rows.");
                noisyData = Load(noisySpec, dataFolder, folderOptions with { Size = (shape.Height, shape.Width), Channels = shape.Channels }, ColumnSelection.None);
            }
            var settings = new TrainSettings
            {
                Data = dataset,
                Evaluation = Datasets.IsKnown(dataSpec) ? DataSource.Load(dataSpec, Split.Test, dataFolder) : null,
                Hidden = parse.GetValue(hidden) is { } h ? CommonOptions.ParseWidths(h) : null,
                CodeSize = parse.GetValue(code),
                Activation = parse.GetValue(activation),
                Output = parse.GetValue(outputActivation) is "auto" ? null : parse.GetValue(outputActivation),
                Loss = parse.GetValue(loss) switch { "mse" => ReconstructionLoss.Mse, "bce" => ReconstructionLoss.BinaryCrossEntropy, _ => null },
                Scaling = parse.GetValue(scaling) switch { "none" => Scaling.None, "min-max" => Scaling.MinMax, "standard" => Scaling.Standard, _ => null },
                Filters = parse.GetValue(filters) is { } f ? CommonOptions.ParseWidths(f, "--filters") : null,
                KernelSize = parse.GetValue(kernel),
                Downsampling = parse.GetValue(down) switch { "strided" => Downsampling.StridedConv, "max-pool" => Downsampling.MaxPool, _ => null },
                Upsampling = parse.GetValue(up) switch { "bilinear" => Upsampling.Bilinear, "transposed" => Upsampling.TransposedConv, "nearest" => Upsampling.Nearest, _ => null },
                Conditional = parse.GetValue(conditional),
                Convolutional = parse.GetValue(convolutional),
                Beta = parse.GetValue(beta),
                KlWarmupEpochs = parse.GetValue(klWarmup),
                Noise = noise.TryParse(parse),
                NoisyData = noisyData,
                Task = parse.GetValue(task),
                Masks = maskIds,
                Epochs = parse.GetValue(epochs),
                BatchSize = parse.GetValue(batchSize),
                LearningRate = parse.GetValue(learningRate),
                ValidationFraction = parse.GetValue(validation),
                Patience = parse.GetValue(patience),
                Shift = CommonOptions.ShiftFor(parse.GetValue(shift), dataset),
                Seed = parse.GetValue(seed),
            };
            TrainingRun run = recipe.Prepare(settings);
            bool quiet = parse.GetValue(json);
            TrainingResult result;
            try
            {
                result = quiet ? run.Run(cancel: cancel) : TrainingProgressView.Run(run.Title, progress => run.Run(progress, cancel));
            }
            catch (TrainingDivergedException e)
            {
                throw Diverged(e, outPath);
            }
            result.Save(modelFile.Staging);
            if (reportFile is not null) result.Report().Save(reportFile.Staging);
            OutputFile.CommitAll(cancel);

            if (quiet)
            {
                var history = result.History;
                var fields = new Dictionary<string, object?>
                {
                    ["model"] = outPath, ["report"] = reportPath, ["epochs"] = history.Epochs.Count, ["best_epoch"] = history.BestEpoch,
                    ["stop_reason"] = history.StopReason.ToString(), ["train_loss"] = history.Epochs[^1].TrainLoss,
                    ["validation_loss"] = history.Epochs[^1].ValidationLoss, ["train_seconds"] = history.TotalSeconds,
                };
                foreach (var (name, value) in result.Figures) fields[name] = value;
                JsonOutput.Print(fields);
                return 0;
            }
            foreach (string line in result.Summary) Console.WriteLine(line);
            string? next = result.NextStep(outPath, dataSpec);
            Console.WriteLine($"Saved {outPath}" + (reportPath is null ? "." : $" and {reportPath}.") + (next is null ? "" : $" Try: {next}"));
            return 0;
        }
        command.SetAction((parse, cancel) => Task.FromResult(Execute(parse, cancel)));
        return command;
    }

    /// <summary>
    /// The failure with what the user can do: the weights of the last good epoch, kept in a file beside --out (never
    /// --out itself: the model is not trained), and the one option that usually cures divergence.
    /// </summary>
    private static TrainingDivergedException Diverged(TrainingDivergedException e, string outPath)
    {
        string kept = "Nothing was saved.";
        if (e is { SaveLastGood: { } save, LastGoodEpoch: > 0 })
        {
            string path = Path.ChangeExtension(outPath, null) + ".last-good.safetensors";
            save(path);
            kept = $"Those weights are saved in '{path}'.";
        }
        return new TrainingDivergedException(string.Create(CultureInfo.InvariantCulture, $"{e.Message} {kept} Try a lower --learning-rate than {e.LearningRate}."));
    }

    /// <summary>A folder of PNGs (sub-folders being classes), or a named set or file through <see cref="DataSource"/>.</summary>
    private static Dataset Load(string spec, string? dataDir, ImageFolderOptions folder, ColumnSelection columns)
    {
        if (!Directory.Exists(spec)) return DataSource.Load(spec, Split.Train, dataDir, columns: columns);
        columns.CheckNoColumns($"the folder '{spec}'");
        return ImageFolder.Load(spec, folder).Dataset;
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
