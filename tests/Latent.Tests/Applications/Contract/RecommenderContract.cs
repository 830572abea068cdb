using Latent.Applications.Recommendation;
using Latent.Data;
using Latent.Models.AutoRec;
using Latent.Models.Cdae;
using Latent.Tests.Applications.Recommendation;
using Latent.Training;

namespace Latent.Tests.Applications.Contract;

/// <summary>
/// The recommender on a small planted rating matrix: predictions for known and unknown users and items, and top-N
/// lists with and without the seen items, must not change. The explicit form blends I-AutoRec, a residual U-AutoRec and the
/// biased matrix factorisation with weights learned on a holdout, so that every kind of member and the weights are saved and opened.
/// </summary>
public class RecommenderContract : ApplicationContract<Recommender>
{
    private static readonly string[] Users, Items;
    private static readonly float[] Values;
    private static readonly Ratings Rows;

    static RecommenderContract()
    {
        Ratings planted = PlantedRatings.Make(users: 30, items: 20, observed: 0.5, seed: 1).Observed;
        (Users, Items, Values) = ([.. planted.Users], [.. planted.Items], [.. planted.Values]);
        Rows = new Ratings(Users, Items, Values);
    }

    protected virtual RecommenderOptions Small(ulong seed) => new()
    {
        AutoRec = [new AutoRecOptions { Hidden = [6], Epochs = 4 }, new AutoRecOptions { Hidden = [4, 3], Epochs = 3, ItemBased = false, Dropout = 0.1f, Residual = true }],
        MatrixFactorization = new MatrixFactorizationOptions { Factors = 3, Epochs = 2 },
        BlendHoldout = 0.4f, BlendBySupport = false,   // 120 of the 300 ratings: enough to learn five weights
        Seed = seed,
    };

    protected override Recommender Fit(ulong seed, IProgress<TrainingProgress>? progress = null) => Recommender.Fit(Rows, Small(seed), progress);

    protected override float[] Use(Recommender app) =>
    [
        app.Predict("u0", "i0"), app.Predict("u3", "i7"), app.Predict("u29", "i19"), app.Predict("stranger", "i2"), app.Predict("u1", "new"),
        .. app.TopN("u2", 5).SelectMany(r => new[] { float.Parse(r.Item[1..]), r.Score }),
        .. app.TopN("u2", 5, excludeSeen: false).Select(r => r.Score),
        .. app.TopN("stranger", 3).Select(r => r.Score),
    ];

    protected override IEnumerable<(Action, string)> BadInputs(Recommender app) =>
    [
        (() => app.TopN("u0", 0), "at least 1"),
        (() => Recommender.Fit(new Ratings([], [], [])), "no ratings"),
        (() => new Ratings(["a"], ["b"], [float.NaN]), "not a finite number"),
        (() => new Ratings(["a", "b"], ["x"], [1f, 2f]), "one user, item, rating"),
        (() => Recommender.Fit(Rows, Small(1) with { AutoRec = [new AutoRecOptions { Hidden = [] }] }), "Hidden"),
        (() => Recommender.Fit(Rows, Small(1) with { Cdae = new CdaeOptions { Corruption = 1.5f } }), "Corruption"),
        (() => Recommender.Fit(Rows, Small(1) with { BlendHoldout = 1f }), "BlendHoldout"),
    ];

    protected override IEnumerable<object> CallerData => [Users, Items, Values];

    protected override Recommender Open(string path) => Recommender.Open(path);
}

/// <summary>The same contract for implicit feedback (CDAE).</summary>
public sealed class ImplicitRecommenderContract : RecommenderContract
{
    protected override RecommenderOptions Small(ulong seed) => new()
    {
        Feedback = Feedback.Implicit, Cdae = new CdaeOptions { Hidden = 5, Epochs = 3, BatchSize = 8 }, Seed = seed,
    };
}
