using Latent.Applications.Clustering;
using Latent.Engine;
using Latent.Training;

namespace Latent.Tests.Applications.Contract;

public class ClustererContract : ApplicationContract<Clusterer>
{
    private static readonly Tensor Data = ContractData.Correlated(120, 6, seed: 1);

    protected virtual bool RefineWithDec => false;

    protected override Clusterer Fit(ulong seed, IProgress<TrainingProgress>? progress = null) =>
        Clusterer.Fit(Data, new ClusterOptions
        {
            Clusters = 3, Hidden = [8], CodeSize = 2, Restarts = 2, Seed = seed,
            Training = new FitOptions { Epochs = 3, BatchSize = 32, ValidationFraction = 0 },
            Embedding = RefineWithDec ? null : new() { Dimensions = 3, Neighbours = 10, MinDistance = 0, Epochs = 30 },
            Model = RefineWithDec ? ClusterModel.KMeans : ClusterModel.GaussianMixture,
            RefineWithDec = RefineWithDec, Dec = new DecOptions { MaxIterations = 30, UpdateInterval = 10, BatchSize = 32 },
        }, progress);

    protected override float[] Use(Clusterer app) =>
        [.. app.Predict(Data).Select(c => (float)c), .. app.Assignments.Select(c => (float)c), .. app.KMeansAssignments.Select(c => (float)c), .. app.Centers];

    protected override IEnumerable<(Action, string)> BadInputs(Clusterer app) =>
    [
        (() => app.Predict(Tensor.Zeros(3, 4)), "[3, 4]"),
        (() => Clusterer.Fit(ContractData.WithValue(Data, 7, float.NaN)), "NaN"),
        (() => Clusterer.Fit(Tensor.Zeros(2, 6), new ClusterOptions { Clusters = 3 }), "3 clusters"),
        (() => Clusterer.Fit(Data, new ClusterOptions { CodeSize = 0 }), "code size"),
    ];

    protected override IEnumerable<object> CallerData => [Data];

    protected override Clusterer Open(string path) => Clusterer.Open(path);
}

/// <summary>The same contract with DEC refinement, whose new rows are assigned by the Student-t rule.</summary>
public sealed class DecClustererContract : ClustererContract
{
    protected override bool RefineWithDec => true;
}
