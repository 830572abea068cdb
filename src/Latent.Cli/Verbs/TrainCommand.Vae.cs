using System.CommandLine;
using System.Globalization;
using Latent.Cli.Terminal;
using Latent.Data;
using Latent.Engine;
using Latent.Models;
using Latent.Training;

namespace Latent.Cli.Verbs;

/// <summary>`latent train --model vae`: a variational autoencoder, optionally conditional on the data's labels.</summary>
internal static partial class TrainCommand
{
    private sealed class VaeOptions
    {
        public Option<bool> Conditional { get; } = new("--conditional") { Description = "vae: condition on the data's labels (a CVAE), so that 'generate --label' can ask for a class." };
        public Option<float> Beta { get; } = new("--beta") { Description = "vae: weight of the KL term (1 = the ELBO).", DefaultValueFactory = _ => 1f };
        public Option<int> KlWarmup { get; } = new("--kl-warmup") { Description = "vae: epochs over which the KL weight rises from 0.", DefaultValueFactory = _ => 0 };
        public Option<bool> Convolutional { get; } = new("--convolutional") { Description = "vae: strided convolutions instead of dense layers (image data; --hidden then gives the filter counts, default 32,64)." };
    }

    private sealed record VaeSettings(string? Hidden, int? Code, Activation Activation, string Loss, bool Conditional, float Beta, int KlWarmup, bool Convolutional, ulong Seed);

    private static int TrainVae(Dataset dataset, VaeSettings settings, FitOptions options, string outPath, bool quiet, CancellationToken cancel)
    {
        int[]? labels = null;
        int classes = 0;
        if (settings.Conditional)
        {
            labels = dataset.Labels ?? throw new UsageException($"--conditional needs labels, and {dataset.Name} has none (for a CSV, name the column with --label-column).");
            if (labels.Min() < 0) throw new InvalidDataException("Labels must be whole numbers from 0 up for --conditional.");
            classes = Math.Max(2, labels.Max() + 1);
        }
        // Images in [0, 1] get the Bernoulli likelihood of the VAE papers; tables a Gaussian on min-max scaled
        // columns, which also keeps generated values inside the training range.
        bool images = dataset.Image is not null && ValueRange.InUnitRange(dataset.Features);
        bool bernoulli = settings.Loss == "bce" || (settings.Loss == "auto" && images);
        if (settings.Convolutional && dataset.Image is null) throw new UsageException($"--convolutional needs image data, and {dataset.Name} is a table.");
        var config = new VariationalAutoencoderConfig
        {
            Inputs = dataset.Columns,
            Hidden = settings.Convolutional ? [] : CommonOptions.ParseWidths(settings.Hidden ?? "400"),
            Image = settings.Convolutional ? dataset.Image : null,
            Filters = settings.Convolutional ? CommonOptions.ParseWidths(settings.Hidden ?? "32,64") : [32, 64],
            CodeSize = CommonOptions.Positive(settings.Code ?? 20, "--code"),
            Activation = settings.Activation,
            Likelihood = bernoulli ? Likelihood.Bernoulli : Likelihood.Gaussian,
            Scaling = images ? Scaling.None : Scaling.MinMax,
            Beta = settings.Beta,
            KlWarmupEpochs = settings.KlWarmup,
            Classes = classes,
            Seed = settings.Seed,
        };
        var model = new VariationalAutoencoder(config) { Data = DataDescription.Of(dataset) };
        string layers = config.Image is null ? string.Join("-", config.Hidden) : $"conv {string.Join("-", config.Filters)}";
        string title = $"Training a VAE {config.Inputs}-{layers}-{config.CodeSize} ({config.Likelihood}) on {dataset.Name} ({dataset.Rows:N0} rows)";
        History history = quiet
            ? model.Fit(dataset.Features, labels, options, cancel: cancel)
            : TrainingProgressView.Run(title, progress => model.Fit(dataset.Features, labels, options, progress, cancel));
        if (history.StopReason == StopReason.Cancelled) throw new OperationCanceledException();
        var (loss, reconstruction, kl) = model.TestLoss(dataset.Features, labels);
        model.Save(outPath);
        if (quiet)
        {
            JsonOutput.Print(new
            {
                model = outPath, epochs = history.Epochs.Count, best_epoch = history.BestEpoch, stop_reason = history.StopReason.ToString(),
                train_loss = history.Epochs[^1].TrainLoss, validation_loss = history.Epochs[^1].ValidationLoss, train_seconds = history.TotalSeconds,
                negative_elbo = loss, reconstruction_nats = reconstruction, kl_nats = kl,
            });
        }
        else
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"−ELBO {loss:F2} nats per row on the training data (reconstruction {reconstruction:F2} + KL {kl:F2}); {history.Epochs.Count} epochs in {history.TotalSeconds:F1} s."));
            Console.WriteLine($"Saved {outPath}. Try: latent generate --model {outPath} --count 64 --out samples.{(dataset.Image is null ? "csv" : "png")}");
        }
        return 0;
    }
}
