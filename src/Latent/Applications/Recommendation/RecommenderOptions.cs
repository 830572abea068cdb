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

/// <summary>How a <see cref="Recommender"/> learns. Defaults were chosen on a validation split of MovieLens 100K's u1.base (never u1.test).</summary>
public sealed record RecommenderOptions
{
    /// <summary>Explicit ratings (AutoRec predicts them) or implicit interactions (CDAE ranks items).</summary>
    public Feedback Feedback { get; init; } = Feedback.Explicit;

    /// <summary>
    /// Explicit feedback: the AutoRec networks whose predictions are averaged, each trained from its own seed. The default,
    /// three item-based networks and one user-based, had the lowest validation RMSE of the ensembles tried (0.8897, against
    /// 0.8973 for one item-based network, 0.8955 for three, 0.8909 for two item-based and one user-based, 0.8927 for three and
    /// two, 0.8932 for three item-based with the matrix factorisation and 0.8912 for the default with it): a user-based network
    /// is weak alone (0.958) but errs differently.
    /// </summary>
    public IReadOnlyList<AutoRecOptions> AutoRec { get; init; } = [new AutoRecOptions(), new AutoRecOptions(), new AutoRecOptions(), new AutoRecOptions { ItemBased = false }];

    /// <summary>Explicit feedback: a biased matrix factorisation averaged in with the AutoRec networks, or null for none (the default: it did not help on validation).</summary>
    public MatrixFactorizationOptions? MatrixFactorization { get; init; }

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
        foreach (AutoRecOptions member in AutoRec) member.Validate();
        MatrixFactorization?.Validate();
        Cdae.Validate();
    }
}
