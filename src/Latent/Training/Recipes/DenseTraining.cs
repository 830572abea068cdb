using System.Globalization;
using Latent.Data;
using Latent.Engine;
using Latent.Engine.Losses;
using Latent.Models;
using Latent.Reporting;

namespace Latent.Training.Recipes;

/// <summary>
/// A dense autoencoder for any rows: output, loss and scaling by <see cref="DenseAutoencoderConfig.For"/> unless chosen,
/// the training loop's defaults (<see cref="FitOptions"/>), judged by its reconstruction MSE on the held-out data; the
/// report sets it beside PCA with the same code size.
/// </summary>
internal sealed class DenseTraining : TrainingRecipe
{
    public override string Kind => "dense";

    public override string Description => "a fully connected autoencoder";

    public override bool WritesReport => true;

    public override TrainingRun Prepare(TrainSettings s)
    {
        Refuse((s.Conditional, "labels (conditional)"), (s.Convolutional, "convolutions"), (s.Filters is not null, "filters"), (s.KernelSize is not null, "a kernel size"),
            (s.Downsampling is not null, "downsampling"), (s.Upsampling is not null, "upsampling"), (s.Noise is not null, "noise"), (s.NoisyData is not null, "noisy pairs"),
            (s.Beta is not null, "beta"), (s.KlWarmupEpochs is not null, "KL warm-up"));
        DenseAutoencoderConfig config = Config(s);
        Dataset data = s.Data;
        FitOptions training = s.Training(new FitOptions());
        training.Validate();
        string title = $"Training {Architecture(config)} on {data.Name} ({Counted.Of(data.Rows, "row")} of {Counted.Of(data.Columns, "value")})";
        return new TrainingRun(title, (progress, cancel) =>
        {
            var model = new DenseAutoencoder(config) { Data = DataDescription.Of(data) };
            History history = model.Fit(data.Features, training, progress, cancel);
            cancel.ThrowIfCancellationRequested();   // an interrupted model is not evaluated
            Dataset evaluation = s.Evaluation ?? data;
            float mse;
            using (Tensor.NoGrad()) mse = Loss.Mse(model.Reconstruct(evaluation.Features), evaluation.Features).Item();
            return new TrainingResult(model, history, model.Save,
                new Dictionary<string, object?> { ["reconstruction_mse"] = mse, ["evaluated_on"] = s.EvaluatedOn },
                [string.Create(CultureInfo.InvariantCulture,
                    $"Reconstruction MSE {mse:G4} on the {s.EvaluatedOn}; best epoch {history.BestEpoch} of {history.Epochs.Count} ({history.TotalSeconds:F1} s).")],
                () => Report(model, history, evaluation, data, mse, s.EvaluatedOn));
        });
    }

    /// <summary>The one rule by the data's range, then what the user chose (an explicit loss or output keeps the pair valid).</summary>
    private static DenseAutoencoderConfig Config(TrainSettings s)
    {
        DenseAutoencoderConfig config = DenseAutoencoderConfig.For(s.Data.Features);
        if (s.Loss is { } loss)
            config = config with { Loss = loss, Output = loss == ReconstructionLoss.BinaryCrossEntropy ? Activation.Sigmoid : config.Output };
        if (s.OutputActivation is { } output)
            config = config with { Output = output, Loss = s.Loss ?? (output == Activation.Sigmoid ? config.Loss : ReconstructionLoss.Mse) };
        config = config with
        {
            Hidden = s.Hidden ?? config.Hidden,
            CodeSize = s.CodeSize ?? config.CodeSize,
            Activation = s.HiddenActivation ?? config.Activation,
            Scaling = s.Scaling ?? config.Scaling,
            Seed = s.Seed,
        };
        config.Validate();
        return config;
    }

    private static HtmlReport Report(DenseAutoencoder model, History history, Dataset evaluation, Dataset training, float mse, string evaluatedOn)
    {
        var pca = new Pca(Math.Min(model.CodeSize, Math.Min(training.Rows, training.Columns))).Fit(training.Features);
        float pcaMse;
        using (Tensor.NoGrad()) pcaMse = Loss.Mse(pca.Reconstruct(evaluation.Features), evaluation.Features).Item();
        string F(float v) => v.ToString("G4", CultureInfo.InvariantCulture);
        return TrainingReport.Build(new TrainingReportContent
        {
            Title = $"Latent: {Architecture(model.Config)} on {training.Name}",
            Facts =
            [
                ("data", $"{training.Name}: {Counted.Of(training.Rows, "row")} of {Counted.Of(training.Columns, "value")}"),
                ("architecture", $"{Architecture(model.Config)}, {model.Config.Activation}, output {model.Config.Output}, loss {model.Config.Loss}, scaling {model.Config.Scaling}"),
                ("training", $"{Counted.Of(history.Epochs.Count, "epoch")} in {history.TotalSeconds:F1} s, best epoch {history.BestEpoch}, {history.StopReason}"),
            ],
            Results = (["method", "code size", $"MSE on {evaluatedOn}"],
                [["dense autoencoder", $"{model.CodeSize}", F(mse)], ["PCA", $"{pca.CodeSize}", F(pcaMse)]]),
            History = history,
            Originals = evaluation.Features,
            Reconstructions = model.Reconstruct(evaluation.Features),
            Image = evaluation.Image,
            Codes = model.Encode(evaluation.Features),
            Labels = evaluation.Labels,
        });
    }

    private static string Architecture(DenseAutoencoderConfig c) =>
        "a " + string.Join("-", new[] { c.Inputs }.Concat(c.Hidden).Append(c.CodeSize).Concat(c.Hidden.Reverse()).Append(c.Inputs)) + " autoencoder";
}
