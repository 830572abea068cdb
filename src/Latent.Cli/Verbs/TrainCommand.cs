using System.CommandLine;
using System.Globalization;
using Latent.Cli.Terminal;
using Latent.Data;
using Latent.Engine;
using Latent.Engine.Losses;
using Latent.Models;
using Latent.Reporting;
using Latent.Training;
using Spectre.Console;

namespace Latent.Cli.Verbs;

/// <summary>`latent train`: fits a dense autoencoder on a data set or file and saves it (plus an optional HTML report).</summary>
internal static partial class TrainCommand
{
    private static readonly string[] Activations = ["relu", "leaky-relu", "elu", "tanh", "sigmoid", "softplus"];

    public static Command Create()
    {
        var data = CommonOptions.Data();
        var dataDir = CommonOptions.DataDir();
        var labelColumn = CommonOptions.LabelColumn();
        var output = CommonOptions.Out("Where to save the model (.safetensors).");
        var kind = new Option<string>("--model") { Description = "dense: a fully connected autoencoder; vae: a variational autoencoder (for generating data); conv: a convolutional autoencoder for images (with --noise, a denoiser).", DefaultValueFactory = _ => "dense" }
            .AcceptOnlyFromAmong("dense", "vae", "conv");
        var hidden = new Option<string?>("--hidden") { Description = "Encoder layer widths, comma-separated; the decoder mirrors them. [default: 128,64 (dense), 400 (vae)]" };
        var code = new Option<int?>("--code") { Description = "Code (bottleneck) size. [default: 32 (dense), 20 (vae)]" };
        var activation = new Option<string>("--activation") { Description = "Hidden-layer activation.", DefaultValueFactory = _ => "relu" }.AcceptOnlyFromAmong(Activations);
        var outputActivation = new Option<string>("--output") { Description = "Output activation: sigmoid for data in [0, 1], identity otherwise; auto decides from the data.", DefaultValueFactory = _ => "auto" }
            .AcceptOnlyFromAmong("auto", "sigmoid", "identity");
        var loss = new Option<string>("--loss") { Description = "Reconstruction loss: mse or bce (binary cross-entropy, needs a sigmoid output); for a vae, bce is a Bernoulli and mse a Gaussian likelihood; auto: mse, or bce for a vae on images.", DefaultValueFactory = _ => "auto" }
            .AcceptOnlyFromAmong("auto", "mse", "bce");
        var scaling = new Option<string>("--scaling") { Description = "Column scaling learned with the model; auto: none for data in [0, 1], standard otherwise.", DefaultValueFactory = _ => "auto" }
            .AcceptOnlyFromAmong("auto", "none", "min-max", "standard");
        var epochs = new Option<int>("--epochs") { Description = "Training epochs.", DefaultValueFactory = _ => 20 };
        var batchSize = new Option<int>("--batch-size") { Description = "Rows per training step.", DefaultValueFactory = _ => 256 };
        var learningRate = new Option<float>("--learning-rate") { Description = "Adam learning rate.", DefaultValueFactory = _ => 1e-3f };
        var validation = new Option<float>("--validation") { Description = "Fraction of rows held out for validation.", DefaultValueFactory = _ => 0.1f };
        var patience = new Option<int?>("--patience") { Description = "Stop after this many epochs without a better validation loss." };
        var seed = new Option<ulong>("--seed") { Description = "Random seed (same seed, same model).", DefaultValueFactory = _ => 0 };
        var shift = CommonOptions.Shift();
        var report = new Option<string?>("--report") { Description = "Also write an HTML report of the run to this file." };
        var json = CommonOptions.Json();
        var vae = new VaeOptions();
        var conv = new ConvOptions();

        var command = new Command("train", "Train an autoencoder and save it as a safetensors model file.")
        {
            data, dataDir, labelColumn, output, kind, hidden, code, activation, outputActivation, loss, scaling, epochs, batchSize,
            learningRate, validation, patience, seed, shift, report, json, vae.Conditional, vae.Beta, vae.KlWarmup, vae.Convolutional,
        };
        foreach (Option option in conv.All) command.Add(option);
        int Execute(ParseResult parse, CancellationToken cancel)
        {
            string outPath = parse.GetValue(output)!;
            string? reportPath = parse.GetValue(report);
            CommonOptions.CheckOutputFolder(outPath);
            if (reportPath is not null) CommonOptions.CheckOutputFolder(reportPath);
            string dataSpec = parse.GetValue(data)!, lossName = parse.GetValue(loss)!;
            if (parse.GetValue(kind) == "conv")
                return TrainConv(parse, conv, dataSpec, parse.GetValue(dataDir), lossName, parse.GetValue(code), FitOptionsFrom(parse, epochs, batchSize, learningRate, validation, patience, seed),
                    parse.GetResult(batchSize) is null or { Implicit: true }, parse.GetResult(learningRate) is null or { Implicit: true }, parse.GetValue(shift), outPath, parse.GetValue(json), cancel);
            Dataset dataset = DataSource.Load(dataSpec, Split.Train, parse.GetValue(dataDir), labelColumn: parse.GetValue(labelColumn));
            FitOptions options = FitOptionsFrom(parse, epochs, batchSize, learningRate, validation, patience, seed)
                with { Shift = CommonOptions.ShiftFor(parse.GetValue(shift), dataset) };
            if (parse.GetValue(kind) == "vae")
            {
                var settings = new VaeSettings(parse.GetValue(hidden), parse.GetValue(code), ParseActivation(parse.GetValue(activation)!), lossName,
                    parse.GetValue(vae.Conditional), parse.GetValue(vae.Beta), parse.GetValue(vae.KlWarmup), parse.GetValue(vae.Convolutional), parse.GetValue(seed));
                return TrainVae(dataset, settings, options, outPath, parse.GetValue(json), cancel);
            }
            if (parse.GetValue(vae.Conditional)) throw new UsageException("--conditional needs --model vae.");
            bool unitRange = ValueRange.InUnitRange(dataset.Features);
            string outputName = parse.GetValue(outputActivation)!, scalingName = parse.GetValue(scaling)!;
            var config = new DenseAutoencoderConfig
            {
                Inputs = dataset.Columns,
                Hidden = CommonOptions.ParseWidths(parse.GetValue(hidden) ?? "128,64"),
                CodeSize = CommonOptions.Positive(parse.GetValue(code) ?? 32, "--code"),
                Activation = ParseActivation(parse.GetValue(activation)!),
                Output = outputName == "sigmoid" || (outputName == "auto" && (unitRange || lossName == "bce")) ? Activation.Sigmoid : Activation.Identity,
                Loss = lossName == "bce" ? ReconstructionLoss.BinaryCrossEntropy : ReconstructionLoss.Mse,
                Scaling = scalingName switch
                {
                    "none" => Scaling.None,
                    "min-max" => Scaling.MinMax,
                    "standard" => Scaling.Standard,
                    _ => unitRange ? Scaling.None : Scaling.Standard,
                },
                Seed = parse.GetValue(seed),
            };
            var model = new DenseAutoencoder(config) { Data = DataDescription.Of(dataset) };
            bool quiet = parse.GetValue(json);
            string title = $"Training {Architecture(config)} on {dataset.Name} ({dataset.Rows:N0} rows of {dataset.Columns:N0} values)";
            History history = quiet
                ? model.Fit(dataset.Features, options, cancel: cancel)
                : TrainingProgressView.Run(title, progress => model.Fit(dataset.Features, options, progress, cancel));
            if (history.StopReason == StopReason.Cancelled) throw new OperationCanceledException();

            Dataset evaluation = Datasets.IsKnown(dataSpec) ? DataSource.Load(dataSpec, Split.Test, parse.GetValue(dataDir)) : dataset;
            float mse;
            using (Tensor.NoGrad()) mse = Loss.Mse(model.Reconstruct(evaluation.Features), evaluation.Features).Item();
            model.Save(outPath);
            if (reportPath is not null) WriteReport(reportPath, model, history, evaluation, dataset, mse);

            string evaluatedOn = evaluation == dataset ? "training data" : $"{evaluation.Name} test split";
            if (quiet)
            {
                JsonOutput.Print(new
                {
                    model = outPath, report = reportPath, epochs = history.Epochs.Count, best_epoch = history.BestEpoch, stop_reason = history.StopReason.ToString(),
                    train_loss = history.Epochs[^1].TrainLoss, validation_loss = history.Epochs[^1].ValidationLoss, train_seconds = history.TotalSeconds,
                    reconstruction_mse = mse, evaluated_on = evaluatedOn,
                });
            }
            else
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"Reconstruction MSE {mse:G4} on the {evaluatedOn}; best epoch {history.BestEpoch} of {history.Epochs.Count} ({history.TotalSeconds:F1} s)."));
                Console.WriteLine($"Saved {outPath}" + (reportPath is null ? "." : $" and {reportPath}."));
            }
            return 0;
        }
        command.SetAction((parse, cancel) => Task.FromResult(Execute(parse, cancel)));
        return command;
    }

    private static void WriteReport(string path, DenseAutoencoder model, History history, Dataset evaluation, Dataset training, float mse)
    {
        var pca = new Pca(Math.Min(model.CodeSize, Math.Min(training.Rows, training.Columns))).Fit(training.Features);
        float pcaMse;
        using (Tensor.NoGrad()) pcaMse = Loss.Mse(pca.Reconstruct(evaluation.Features), evaluation.Features).Item();
        string F(float v) => v.ToString("G4", CultureInfo.InvariantCulture);
        TrainingReport.Build(new TrainingReportContent
        {
            Title = $"Latent: {Architecture(model.Config)} on {training.Name}",
            Facts =
            [
                ("data", $"{training.Name}: {training.Rows:N0} rows of {training.Columns:N0} values"),
                ("architecture", $"{Architecture(model.Config)}, {model.Config.Activation}, output {model.Config.Output}, loss {model.Config.Loss}, scaling {model.Config.Scaling}"),
                ("training", $"{history.Epochs.Count} epochs in {history.TotalSeconds:F1} s, best epoch {history.BestEpoch}, {history.StopReason}"),
            ],
            Results = (["method", "code size", $"MSE on {(evaluation == training ? "training data" : "test split")}"],
                [["dense autoencoder", $"{model.CodeSize}", F(mse)], ["PCA", $"{pca.CodeSize}", F(pcaMse)]]),
            History = history,
            Originals = evaluation.Features,
            Reconstructions = model.Reconstruct(evaluation.Features),
            Image = evaluation.Image,
            Codes = model.Encode(evaluation.Features),
            Labels = evaluation.Labels,
        }).Save(path);
    }

    private static string Architecture(DenseAutoencoderConfig c) =>
        string.Join("-", new[] { c.Inputs }.Concat(c.Hidden).Append(c.CodeSize).Concat(c.Hidden.Reverse()).Append(c.Inputs));

    /// <summary>The training options every model kind takes from the command line.</summary>
    private static FitOptions FitOptionsFrom(ParseResult parse, Option<int> epochs, Option<int> batchSize, Option<float> learningRate,
        Option<float> validation, Option<int?> patience, Option<ulong> seed) => new()
    {
        Epochs = CommonOptions.Positive(parse.GetValue(epochs), "--epochs"),
        BatchSize = CommonOptions.Positive(parse.GetValue(batchSize), "--batch-size"),
        LearningRate = parse.GetValue(learningRate),
        ValidationFraction = parse.GetValue(validation),
        Patience = parse.GetValue(patience),
        Seed = parse.GetValue(seed),
    };

    private static Activation ParseActivation(string name) => name switch
    {
        "leaky-relu" => Activation.LeakyRelu,
        "elu" => Activation.Elu,
        "tanh" => Activation.Tanh,
        "sigmoid" => Activation.Sigmoid,
        "softplus" => Activation.Softplus,
        _ => Activation.Relu,
    };
}
