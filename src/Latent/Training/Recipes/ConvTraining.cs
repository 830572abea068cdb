using System.Globalization;
using Latent.Applications.Denoising;
using Latent.Data;
using Latent.Engine;
using Latent.Imaging;
using Latent.Models;
using Latent.Reporting;

namespace Latent.Training.Recipes;

/// <summary>
/// A convolutional autoencoder on images in [0, 1] with the denoiser's training recipe (<see cref="DenoiserOptions.Training"/>);
/// with noise it is a <see cref="Denoiser"/> that learns to remove it, with noisy/clean pairs one that learns from
/// them. Judged by its reconstruction MSE on the held-out images, and a denoiser by PSNR and SSIM on them with the
/// same noise added (a fixed seed).
/// </summary>
internal sealed class ConvTraining : TrainingRecipe
{
    private const ulong EvaluationNoiseSeed = 12345;

    public override string Kind => "conv";

    public override string Description => "a convolutional autoencoder for images (with noise, a denoiser)";

    public override TrainingRun Prepare(TrainSettings s)
    {
        Refuse((s.Conditional, "labels (conditional)"), (s.Convolutional, "the convolutional switch (it is convolutional)"), (s.Hidden is not null, "dense layers (use filters)"),
            (s.Scaling is not null, "a scaling (images are in [0, 1])"), (s.Beta is not null, "beta"), (s.KlWarmupEpochs is not null, "KL warm-up"));
        Dataset data = s.Data;
        ImageShape shape = data.Image
            ?? throw new ArgumentException($"A convolutional autoencoder needs images (a named image set, an IDX images file or a folder of PNGs); {data.Name} has plain rows.");
        if (!ValueRange.InUnitRange(data.Features)) throw new ArgumentException($"{data.Name} has values outside [0, 1]; convolutional models here take images scaled to [0, 1].");
        if (s.Noise is not null && s.NoisyData is not null) throw new ArgumentException("Train either with noise added (noise) or on given pairs (noisy data), not both.");
        if (s.NoisyData is { } pairs && pairs.Rows != data.Rows)
            throw new ArgumentException($"The noisy data has {pairs.Rows} images but the clean data {data.Rows}; they must pair up.");
        var d = new ConvAutoencoderConfig { Channels = shape.Channels, Height = shape.Height, Width = shape.Width };
        ConvAutoencoderConfig config = d with
        {
            Filters = s.Filters ?? d.Filters,
            KernelSize = s.KernelSize ?? d.KernelSize,
            Downsampling = s.Downsampling ?? d.Downsampling,
            Upsampling = s.Upsampling ?? d.Upsampling,
            CodeSize = s.CodeSize,
            Activation = s.HiddenActivation ?? d.Activation,
            Output = s.OutputActivation ?? d.Output,
            Loss = s.Loss ?? d.Loss,
            Seed = s.Seed,
        };
        config.Validate();
        var defaults = new DenoiserOptions();
        FitOptions training = s.Training(defaults.Training);
        training.Validate();
        string what = s.Noise is not null ? $"a denoiser ({s.Noise})" : s.NoisyData is not null ? "a denoiser on noisy/clean pairs" : "a convolutional autoencoder";
        string title = $"Training {what} on {data.Name} ({Counted.Of(data.Rows, "image")} of {shape.Channels}×{shape.Height}×{shape.Width})";
        return new TrainingRun(title, (progress, cancel) =>
        {
            var options = new DenoiserOptions { Noise = s.Noise ?? defaults.Noise, Model = config, Training = training };
            Denoiser? denoiser = null;
            ConvAutoencoder model;
            History history;
            if (s.Noise is null && s.NoisyData is null)
            {
                model = new ConvAutoencoder(config) { Data = DataDescription.Of(data) };
                history = model.Fit(data.Features, training, progress, cancel);
            }
            else
            {
                denoiser = s.NoisyData is { } noisy
                    ? Denoiser.FitPairs(noisy.Features, data.Features, shape, options, progress, cancel)
                    : Denoiser.Fit(data.Features, shape, options, progress, cancel);
                (model, history) = (denoiser.Model, denoiser.History!);
            }
            cancel.ThrowIfCancellationRequested();   // an interrupted model is not evaluated

            Dataset evaluation = s.Evaluation ?? data;
            DenoisingReport? report = null;
            if (s.Noise is not null && denoiser is not null)
            {
                using Tensor noisyImages = s.Noise.Apply(evaluation.Features, new Rng(EvaluationNoiseSeed));
                report = denoiser.Evaluate(evaluation.Features, noisyImages);
            }
            float mse = model.ReconstructionError(evaluation.Features).Average();
            string on = s.Evaluation is null ? "training images" : s.EvaluatedOn;
            var summary = new List<string>
            {
                $"{model.Describe()}, {model.ParameterCount:N0} parameters; best epoch {history.BestEpoch} of {history.Epochs.Count} ({history.TotalSeconds:F1} s).",
                report is not null
                    ? string.Create(CultureInfo.InvariantCulture,
                        $"On the {on} with {s.Noise}: PSNR {report.NoisyPsnr:F2} dB noisy → {report.DenoisedPsnr:F2} dB denoised; SSIM {report.NoisySsim:F3} → {report.DenoisedSsim:F3}.")
                    : string.Create(CultureInfo.InvariantCulture, $"Reconstruction MSE {mse:G4} on the {on}."),
            };
            return new TrainingResult((object?)denoiser ?? model, history, denoiser is not null ? denoiser.Save : model.Save,
                new Dictionary<string, object?>
                {
                    ["reconstruction_mse"] = mse, ["evaluated_on"] = on,
                    ["psnr_noisy_db"] = report?.NoisyPsnr, ["psnr_denoised_db"] = report?.DenoisedPsnr,
                    ["ssim_noisy"] = report?.NoisySsim, ["ssim_denoised"] = report?.DenoisedSsim,
                },
                summary,
                nextStep: report is null ? null
                    : (path, dataSpec) => $"latent noise --data {dataSpec} --split test --out digits, then latent denoise --model {path} --data digits/noisy --out digits/denoised --reference digits/clean");
        });
    }
}
