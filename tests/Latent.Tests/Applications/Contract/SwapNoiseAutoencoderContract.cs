using Latent.Applications.Features;
using Latent.Engine;
using Latent.Training;

namespace Latent.Tests.Applications.Contract;

public sealed class SwapNoiseAutoencoderContract : ApplicationContract<SwapNoiseAutoencoder>
{
    private static readonly Tensor Data = ContractData.Correlated(120, 6, seed: 1);

    protected override SwapNoiseAutoencoder Fit(ulong seed, IProgress<TrainingProgress>? progress = null) =>
        SwapNoiseAutoencoder.Fit(Data, new SwapNoiseOptions { Hidden = [8, 6], Epochs = 3, BatchSize = 32, Seed = seed }, progress);

    protected override float[] Use(SwapNoiseAutoencoder app) => app.Transform(Data).ToArray();

    protected override IEnumerable<(Action, string)> BadInputs(SwapNoiseAutoencoder app) =>
    [
        (() => app.Transform(Tensor.Zeros(3, 4)), "[3, 4]"),
        (() => SwapNoiseAutoencoder.Fit(ContractData.WithValue(Data, 7, float.NaN)), "NaN"),
        (() => SwapNoiseAutoencoder.Fit(Data, new SwapNoiseOptions { SwapProbability = 1 }), "swap probability"),
    ];

    protected override IEnumerable<object> CallerData => [Data];

    protected override SwapNoiseAutoencoder Open(string path) => SwapNoiseAutoencoder.Open(path);
}
