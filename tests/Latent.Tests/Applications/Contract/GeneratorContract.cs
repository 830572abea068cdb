using Latent.Applications.Generation;
using Latent.Data;
using Latent.Engine;
using Latent.Training;

namespace Latent.Tests.Applications.Contract;

/// <summary>The generator on a small table: samples with a fixed seed and the ELBO on fixed rows must not change.</summary>
public sealed class GeneratorContract : ApplicationContract<Generator>
{
    private static readonly Tensor Rows = ContractData.Correlated(120, 6, seed: 1);

    protected override Generator Fit(ulong seed, IProgress<TrainingProgress>? progress = null) =>
        Generator.Fit(new Dataset("rows", Rows), Small(seed), progress);

    private static GeneratorOptions Small(ulong seed) => new()
    {
        Hidden = [16], CodeSize = 3, Training = new FitOptions { Epochs = 2, BatchSize = 32, Seed = seed },
    };

    protected override float[] Use(Generator app)
    {
        GeneratorEvaluation elbo = app.Evaluate(Rows, samples: 5, seed: 2);
        return [.. app.Sample(7, seed: 3).ToArray(), (float)elbo.NegativeElbo, (float)elbo.Kl, (float)elbo.LogLikelihood!.Value];
    }

    protected override IEnumerable<(Action, string)> BadInputs(Generator app) =>
    [
        (() => app.Evaluate(Tensor.Zeros(3, 4)), "[3, 4]"),
        (() => app.Sample(2, label: 1), "not conditional"),
        (() => Generator.Fit(ContractData.WithValue(Rows, 7, float.NaN)), "Row 1, column 1"),
        (() => Generator.Fit(new Dataset("rows", Rows), new GeneratorOptions { Conditional = true }), "has none"),
        (() => Generator.Fit(new Dataset("rows", Rows), new GeneratorOptions { Convolutional = true }), "needs image data"),
        (() => Generator.Fit(Rows, options: new GeneratorOptions { CodeSize = 0 }), "CodeSize"),
    ];

    protected override IEnumerable<object> CallerData => [Rows];

    protected override Generator Open(string path) => Generator.Open(path);
}
