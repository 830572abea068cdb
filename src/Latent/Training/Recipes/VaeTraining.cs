using System.Globalization;
using Latent.Applications.Generation;
using Latent.Data;
using Latent.Models;
using Latent.Reporting;

namespace Latent.Training.Recipes;

/// <summary>
/// A variational autoencoder for generating data, through <see cref="Generator.Fit(Dataset, GeneratorOptions?, IProgress{TrainingProgress}?, CancellationToken)"/>
/// with <see cref="GeneratorOptions"/>' defaults; judged by its −ELBO per row on the held-out data.
/// </summary>
internal sealed class VaeTraining : TrainingRecipe
{
    public override string Kind => "vae";

    public override string Description => "a variational autoencoder (for generating data)";

    public override TrainingRun Prepare(TrainSettings s)
    {
        Refuse((s.Output is not null, "an output activation"), (s.Scaling is not null, "a scaling (tables are min-max scaled)"),
            (s.Downsampling is not null, "downsampling"), (s.Upsampling is not null, "upsampling"), (s.Noise is not null, "noise"), (s.NoisyData is not null, "noisy pairs"));
        var d = new GeneratorOptions();
        var options = d with
        {
            Hidden = s.Hidden ?? d.Hidden,
            CodeSize = s.CodeSize ?? d.CodeSize,
            Activation = s.HiddenActivation ?? d.Activation,
            Likelihood = s.Loss switch { ReconstructionLoss.BinaryCrossEntropy => Likelihood.Bernoulli, ReconstructionLoss.Mse => Likelihood.Gaussian, _ => null },
            Beta = s.Beta ?? d.Beta,
            KlWarmupEpochs = s.KlWarmupEpochs ?? d.KlWarmupEpochs,
            Conditional = s.Conditional,
            Convolutional = s.Convolutional,
            Filters = s.Filters ?? d.Filters,
            KernelSize = s.KernelSize ?? d.KernelSize,
            Training = s.Training(d.Training),
        };
        var (config, _) = Generator.Plan(s.Data, options);
        new VariationalAutoencoder(config);   // checks the architecture before training starts
        string layers = config.Image is null ? string.Join("-", config.Hidden) : $"conv {string.Join("-", config.Filters)}";
        string title = $"Training a VAE {config.Inputs}-{layers}-{config.CodeSize} ({config.Likelihood}) on {s.Data.Name} ({Counted.Of(s.Data.Rows, "row")})";
        return new TrainingRun(title, (progress, cancel) =>
        {
            Generator generator = Generator.Fit(s.Data, options, progress, cancel);
            History history = generator.History!;
            cancel.ThrowIfCancellationRequested();   // an interrupted model is not evaluated
            Dataset evaluation = s.Evaluation ?? s.Data;
            GeneratorEvaluation e = generator.Evaluate(evaluation.Features, options.Conditional ? evaluation.Labels : null, samples: 0);
            return new TrainingResult(generator, history, generator.Save,
                new Dictionary<string, object?>
                {
                    ["negative_elbo"] = e.NegativeElbo, ["reconstruction_nats"] = e.Reconstruction, ["kl_nats"] = e.Kl, ["evaluated_on"] = s.EvaluatedOn,
                },
                [string.Create(CultureInfo.InvariantCulture,
                    $"−ELBO {e.NegativeElbo:F2} nats per row on the {s.EvaluatedOn} (reconstruction {e.Reconstruction:F2} + KL {e.Kl:F2}); {Counted.Of(history.Epochs.Count, "epoch")} in {history.TotalSeconds:F1} s.")],
                nextStep: (model, _) => $"latent generate --model {model} --count 64 --out samples.{(generator.Image is null ? "csv" : "png")}");
        });
    }
}
