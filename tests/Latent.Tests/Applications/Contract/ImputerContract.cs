using Latent.Applications.Imputation;
using Latent.Engine;
using Latent.Training;

namespace Latent.Tests.Applications.Contract;

public sealed class ImputerContract : ApplicationContract<Imputer>
{
    private static readonly Tensor Holed = ContractData.Holed(120, 5, seed: 1);

    protected override Imputer Fit(ulong seed, IProgress<TrainingProgress>? progress = null) =>
        Imputer.Fit(Holed, new ImputerOptions { Hidden = [16], Epochs = 3, Seed = seed }, progress);

    protected override float[] Use(Imputer app) => app.Transform(Holed).ToArray();

    protected override IEnumerable<(Action, string)> BadInputs(Imputer app) =>
    [
        (() => app.Transform(Tensor.Zeros(3, 4)), "[3, 4]"),
        (() => Imputer.Fit(ContractData.WithValue(Holed, 7, float.PositiveInfinity)), "infinite"),
        (() => Imputer.Fit(Holed, new ImputerOptions { HideFraction = 2 }), "HideFraction"),
    ];

    protected override IEnumerable<object> CallerData => [Holed];

    protected override Imputer Open(string path) => Imputer.Open(path);
}
