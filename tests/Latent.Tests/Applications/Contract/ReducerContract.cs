using Latent.Applications.Reduction;
using Latent.Engine;
using Latent.Training;

namespace Latent.Tests.Applications.Contract;

public class ReducerContract : ApplicationContract<Reducer>
{
    private static readonly Tensor Data = ContractData.Correlated(120, 6, seed: 1);

    protected virtual ReductionMethod Method => ReductionMethod.Autoencoder;

    protected override Reducer Fit(ulong seed, IProgress<TrainingProgress>? progress = null) =>
        Reducer.Fit(Data, new ReducerOptions { Method = Method, Dimensions = 2, Hidden = [8], Epochs = 3, BatchSize = 32, Seed = seed }, progress);

    protected override float[] Use(Reducer app)
    {
        using Tensor codes = app.Transform(Data);
        using Tensor rows = app.InverseTransform(codes);
        return [.. codes.ToArray(), .. rows.ToArray(), app.ReconstructionError(Data)];
    }

    protected override IEnumerable<(Action, string)> BadInputs(Reducer app) =>
    [
        (() => app.Transform(Tensor.Zeros(3, 4)), "[3, 4]"),
        (() => Reducer.Fit(ContractData.WithValue(Data, 7, float.NaN), new ReducerOptions { Method = Method }), "NaN"),
        (() => Reducer.Fit(Data, new ReducerOptions { Method = Method, Dimensions = 7 }), "reduced size"),
    ];

    protected override IEnumerable<object> CallerData => [Data];

    protected override Reducer Open(string path) => Reducer.Open(path);
}

/// <summary>The same contract for the PCA method.</summary>
public sealed class PcaReducerContract : ReducerContract
{
    protected override ReductionMethod Method => ReductionMethod.Pca;
}
