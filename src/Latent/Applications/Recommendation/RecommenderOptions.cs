using Latent.Models.AutoRec;
using Latent.Models.Cdae;

namespace Latent.Applications.Recommendation;

/// <summary>What the rows given to <see cref="Recommender.Fit"/> mean.</summary>
public enum Feedback
{
    /// <summary>Ratings on a scale (MovieLens' 1 to 5 stars): the recommender predicts ratings (AutoRec).</summary>
    Explicit,

    /// <summary>Interactions (views, clicks, purchases; any rating counts as one): the recommender ranks items (CDAE).</summary>
    Implicit,
}

/// <summary>How a <see cref="Recommender"/> learns. Defaults were chosen on validation splits of MovieLens 100K's u1.base to u5.base (never the test files).</summary>
public sealed record RecommenderOptions
{
    /// <summary>Explicit ratings (AutoRec predicts them) or implicit interactions (CDAE ranks items).</summary>
    public Feedback Feedback { get; init; } = Feedback.Explicit;

    /// <summary>
    /// Explicit feedback: the AutoRec networks, each trained from its own seed. The default, two item-based networks (one
    /// with hidden dropout 0.2 and λ 30) and one user-based network with λ 30, blended with the matrix factorisation and the
    /// baseline, had the lowest validation RMSE of the recipes tried (`bench recommend --validate` prints the table); a
    /// user-based network is weak alone (0.96) but errs differently.
    /// </summary>
    public IReadOnlyList<AutoRecOptions> AutoRec { get; init; } =
        [new AutoRecOptions { Dropout = 0.2f, L2 = 30 }, new AutoRecOptions(), new AutoRecOptions { ItemBased = false, L2 = 30 }];

    /// <summary>
    /// Explicit feedback: a biased matrix factorisation blended with the AutoRec networks, or null for none. The default,
    /// 100 factors, 60 epochs, lr 0.007 and regularisation 0.08 (0.92 validation RMSE alone, against 0.94 for Surprise's
    /// recipe, <see cref="MatrixFactorizationOptions"/>' defaults), errs unlike the networks: in the blend it is worth more
    /// than a second item-based network.
    /// </summary>
    public MatrixFactorizationOptions? MatrixFactorization { get; init; } = new() { Factors = 100, Epochs = 60, LearningRate = 0.007f, Regularization = 0.08f };

    /// <summary>
    /// Explicit feedback: the share of the ratings held out to learn how to blend the members (stacking). The members
    /// are trained on the rest, the weights of r̂ = w₀ + Σ w_m·p_m (the members' and the damped baseline's predictions)
    /// fitted to the held-out ratings by least squares, then the members are trained again on all ratings: twice the
    /// training time, for a mean validation RMSE over the five MovieLens 100K training files of 0.8762 with fixed weights
    /// and 0.8746 by support, against 0.8801 for the previous default (three item-based and one user-based network
    /// averaged). 0 averages the members equally (so does a holdout of fewer than 20 ratings per weight).
    /// </summary>
    public float BlendHoldout { get; init; } = 0.1f;

    /// <summary>
    /// Explicit feedback: let each member's blend weight vary with how many ratings the user and the item have
    /// (feature-weighted linear stacking, Sill et al. 2009): w_m + a_m·ln(1 + n_u) + b_m·ln(1 + n_i), so that, say, the
    /// user-based network can count for more on items with few ratings. Learned with the weights on the holdout; it
    /// lowered the validation RMSE on all five MovieLens 100K training files (by 0.0016 on average).
    /// </summary>
    public bool BlendBySupport { get; init; } = true;

    /// <summary>Implicit feedback: the collaborative denoising autoencoder.</summary>
    public CdaeOptions Cdae { get; init; } = new();

    /// <summary>Seeds initialisation, shuffling and corruption: same seed, same result. Member i uses Seed + i.</summary>
    public ulong Seed { get; init; }

    /// <summary>Refuses impossible settings; the messages name each setting.</summary>
    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(AutoRec, nameof(AutoRec));
        ArgumentNullException.ThrowIfNull(Cdae, nameof(Cdae));
        if (!Enum.IsDefined(Feedback)) throw new ArgumentException($"Feedback must be Explicit or Implicit, not {Feedback}.");
        if (Feedback == Feedback.Explicit && AutoRec.Count == 0 && MatrixFactorization is null)
            throw new ArgumentException("Explicit feedback needs at least one model: an AutoRec network or the matrix factorisation.");
        if (!(BlendHoldout >= 0 && BlendHoldout < 1)) throw new ArgumentException($"BlendHoldout must be in [0, 1), not {BlendHoldout}.");
        foreach (AutoRecOptions member in AutoRec) member.Validate();
        MatrixFactorization?.Validate();
        Cdae.Validate();
    }
}
