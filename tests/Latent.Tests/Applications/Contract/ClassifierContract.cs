using Latent.Applications.Features;
using Latent.Engine;
using Latent.Training;

namespace Latent.Tests.Applications.Contract;

public sealed class ClassifierContract : ApplicationContract<Classifier>
{
    private static readonly Tensor Features = ContractData.Correlated(120, 5, seed: 1);

    /// <summary>Four classes by the signs of the two hidden factors (columns 0 and 1).</summary>
    private static readonly int[] Labels = [.. Enumerable.Range(0, 120).Select(r => (Features.Span[r * 5] > 0 ? 1 : 0) + (Features.Span[r * 5 + 1] > 0 ? 2 : 0))];

    protected override Classifier Fit(ulong seed, IProgress<TrainingProgress>? progress = null) =>
        Classifier.Fit(Features, Labels, new ClassifierOptions { Hidden = [8], Epochs = 5, BatchSize = 32, Seed = seed }, progress);

    protected override float[] Use(Classifier app) => [.. app.Predict(Features).Select(c => (float)c), (float)app.Accuracy(Features, Labels)];

    protected override IEnumerable<(Action, string)> BadInputs(Classifier app) =>
    [
        (() => app.Predict(Tensor.Zeros(3, 4)), "[3, 4]"),
        (() => Classifier.Fit(Features, Labels[..10]), "10 labels"),
        (() => Classifier.Fit(Features, [.. Labels.Select(l => l - 1)]), "from 0 up"),
        (() => Classifier.Fit(Features, Labels, new ClassifierOptions { Epochs = 0 }), "Epochs"),
    ];

    protected override IEnumerable<object> CallerData => [Features, Labels];

    protected override Classifier Open(string path) => Classifier.Open(path);
}
