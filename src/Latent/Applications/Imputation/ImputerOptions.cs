
namespace Latent.Applications.Imputation;

/// <summary>How an <see cref="Imputer"/> learns. The defaults suit tables from a few hundred to a million rows.</summary>
/// <remarks>
/// The members (<see cref="Neighbours"/>, <see cref="RegressionRounds"/>) were chosen across 13 tables (GAIN's letter and
/// the twelve ODDS tables without labels) on validation cells: the benchmark's scored cells removed, 20% of the remaining
/// known cells hidden, 20 epochs (bench `impute --validate`). Mean RMSE relative to the column mean's: network alone
/// 0.834, + 5-NN 0.753, + regressions 0.713, + 5-NN + regressions 0.709 (the default), + 10-NN + regressions 0.711;
/// left out one table at a time, the default is the choice for 12 of the 13 (for glass: 10-NN).
/// (These figures predate the regression member's ridge relative to each column's variance, chosen on other mask seeds.)
/// </remarks>
public sealed record ImputerOptions
{
    /// <summary>Hidden layer widths of the network (ReLU). It sees each row's values and which of them are known.</summary>
    public int[] Hidden { get; init; } = [256, 256, 256];

    /// <summary>
    /// Fraction of the known cells hidden at random in every training batch: the network learns to restore
    /// them from the rest of the row, which is the job it does for the real holes.
    /// </summary>
    public float HideFraction { get; init; } = 0.25f;

    /// <summary>
    /// Forward passes at inference: each pass after the first sees the previous pass's estimates in the missing
    /// cells instead of column means. Training teaches the same number of passes.
    /// </summary>
    public int Passes { get; init; } = 2;

    /// <summary>
    /// k of the nearest-neighbour member (0: none). It estimates each unknown cell as the mean of that column over the
    /// k nearest training rows that know it (distance over the columns both rows know, as scikit-learn's KNNImputer).
    /// 5 is KNNImputer's default.
    /// </summary>
    public int Neighbours { get; init; } = 5;

    /// <summary>
    /// Rounds of the regression member (0: none): chained ridge regressions of every column on the others, re-fed
    /// with their own estimates each round, as scikit-learn's IterativeImputer (MICE); 10 is its default.
    /// </summary>
    public int RegressionRounds { get; init; } = 10;

    /// <summary>
    /// Share of the known cells held out from every member's training to learn, per column, how to weigh the members
    /// (convex weights fitted by least squares on these cells, pulled towards the weights of all columns together
    /// when a column has few of them). The members use these cells again once the weights are learned (the network,
    /// which is costly to train twice, does not). When this share would leave fewer than 50 cells per column (tables
    /// of about a thousand rows or fewer) the blend is cross-fitted instead: every known cell is held out in one of 10
    /// folds, the members are trained once per fold and the network once more on every cell. On validation cells that lowered
    /// the RMSE of glass from 0.1446 to 0.1415, lympho 0.3452 → 0.3411, breastw 0.1977 → 0.1941 and left vertebral
    /// level (0.1314 → 0.1309; 3 seeds); 5 folds did as well there but hid so many cells per fold that on a planted
    /// table the neighbours lost their weight to the regressions, which cope better with missing inputs.
    /// </summary>
    public float BlendFraction { get; init; } = 0.05f;

    /// <summary>
    /// The most training rows the neighbour member keeps as donors (a seeded sample beyond it): the saved file
    /// holds them, and imputing costs rows × donors distance evaluations.
    /// </summary>
    public int MaxDonors { get; init; } = 50_000;

    /// <summary>Training epochs; null picks about 20,000 batches (between 10 and 500 epochs) from the table size.</summary>
    public int? Epochs { get; init; }

    /// <summary>Rows per training step.</summary>
    public int BatchSize { get; init; } = 128;

    /// <summary>Adam's step size.</summary>
    public float LearningRate { get; init; } = 1e-3f;

    /// <summary>
    /// Text columns with more distinct values than this, or with a distinct value in nearly every row (ids, free
    /// text), are passed through untouched.
    /// </summary>
    public int MaxCategories { get; init; } = 50;

    /// <summary>Table columns left as they are (ids, labels): neither filled nor used to fill the others.</summary>
    public IReadOnlyList<string> ExcludeColumns { get; init; } = [];

    /// <summary>Seeds initialisation, shuffling and the hidden cells: same seed, same result.</summary>
    public ulong Seed { get; init; }

    internal int EpochsFor(int rows) => Epochs ?? Math.Clamp((int)Math.Ceiling(20_000.0 * BatchSize / Math.Max(1, rows)), 10, 500);

    /// <summary>Refuses impossible settings; the messages name each setting as the options and the command line do.</summary>
    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(Hidden, nameof(Hidden));
        ArgumentNullException.ThrowIfNull(ExcludeColumns, nameof(ExcludeColumns));
        if (Hidden.Length == 0 || Hidden.Any(h => h < 1)) throw new ArgumentException("Hidden needs at least one layer, each of at least one unit.");
        if (!(HideFraction > 0 && HideFraction < 1)) throw new ArgumentException($"HideFraction (the share of known cells hidden in each training batch) must be in (0, 1), not {HideFraction}.");
        if (Passes < 1) throw new ArgumentException($"Passes (refinement passes at inference) must be at least 1, not {Passes}.");
        if (Neighbours < 0) throw new ArgumentException($"Neighbours (k of the nearest-neighbour member; 0 turns it off) must be at least 0, not {Neighbours}.");
        if (RegressionRounds < 0) throw new ArgumentException($"RegressionRounds (rounds of the regression member; 0 turns it off) must be at least 0, not {RegressionRounds}.");
        if (!(BlendFraction > 0 && BlendFraction < 1)) throw new ArgumentException($"BlendFraction (the share of known cells held out to learn how to weigh the members) must be in (0, 1), not {BlendFraction}.");
        if (MaxDonors < 1) throw new ArgumentException($"MaxDonors (the most rows the neighbour member keeps) must be at least 1, not {MaxDonors}.");
        if (Epochs is < 1) throw new ArgumentException($"Epochs must be at least 1, not {Epochs}.");
        if (BatchSize < 1) throw new ArgumentException($"The batch size must be at least 1, not {BatchSize}.");
        if (!(LearningRate > 0) || !float.IsFinite(LearningRate)) throw new ArgumentException($"The learning rate must be a positive number, not {LearningRate}.");
        if (MaxCategories < 2) throw new ArgumentException($"MaxCategories must be at least 2, not {MaxCategories}.");
    }
}
