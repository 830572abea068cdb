using Latent.Engine;

namespace Latent.Models.AutoRec;

/// <summary>
/// How one AutoRec network is built and trained (Sedhain et al., "AutoRec: Autoencoders Meet Collaborative Filtering", 2015).
/// The defaults are the paper's network (one sigmoid layer of 500, full-batch Rprop) with input dropout 0.5, λ 100 and
/// 150 epochs: the best single network on a validation split of MovieLens 100K's u1.base (0.8973 validation RMSE against
/// 0.9007 for the paper's recipe at its best λ and epochs; `bench recommend --validate` prints the table).
/// </summary>
public sealed record AutoRecOptions
{
    /// <summary>
    /// Item-based (I-AutoRec: each item's ratings by all users are one input row, the paper's better variant) or
    /// user-based (U-AutoRec: each user's ratings of all items).
    /// </summary>
    public bool ItemBased { get; init; } = true;

    /// <summary>Hidden layer widths; the paper's network is one layer of 500.</summary>
    public int[] Hidden { get; init; } = [500];

    /// <summary>The hidden layers' activation (the paper's sigmoid); the output is linear.</summary>
    public Activation Activation { get; init; } = Activation.Sigmoid;

    /// <summary>
    /// Share of a row's observed ratings hidden from the input in every training step (the rest scaled by 1/(1 − share)),
    /// while the loss still counts all of them: the network learns to predict ratings it does not see, which is its job
    /// at prediction time (0: none, as in the paper; 0.5 was better than 0.1 and 0.25 on validation).
    /// </summary>
    public float InputDropout { get; init; } = 0.5f;

    /// <summary>Dropout on the hidden layers while training (0: none, as in the paper).</summary>
    public float Dropout { get; init; }

    /// <summary>
    /// λ of the L2 penalty (λ/2)·Σ‖W‖² on the weights (not the biases), added to the sum of squared errors over the
    /// observed ratings as in the paper, so the same λ means the same as in the reference script.
    /// </summary>
    public float L2 { get; init; } = 100f;   // with input dropout 0.5; 30, 50 and 300 were worse on validation

    /// <summary>
    /// Learn what the damped baseline μ + b_u + b_i leaves over (input, target and prediction are residuals) instead of
    /// the raw ratings, so that an unobserved cell's 0 in the input means "as expected", not "the lowest rating".
    /// </summary>
    public bool Residual { get; init; }

    /// <summary>Training epochs (150: 300 and 600 gained under 0.001 validation RMSE for twice and four times the time).</summary>
    public int Epochs { get; init; } = 150;

    /// <summary>Rows (items or users) per step; null trains on all of them at once (full batch, as Rprop needs).</summary>
    public int? BatchSize { get; init; }

    /// <summary>Rprop (full batch, the reference's recipe) or Adam (mini-batches).</summary>
    public AutoRecOptimizer Optimizer { get; init; } = AutoRecOptimizer.Rprop;

    /// <summary>Rprop's first step size, or Adam's learning rate.</summary>
    public float LearningRate { get; init; } = 0.01f;

    /// <summary>Refuses impossible settings; the messages name each setting.</summary>
    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(Hidden, nameof(Hidden));
        if (Hidden.Length == 0 || Hidden.Any(h => h < 1)) throw new ArgumentException("AutoRec's Hidden needs at least one layer, each of at least one unit.");
        if (!(InputDropout >= 0 && InputDropout < 1)) throw new ArgumentException($"AutoRec's InputDropout must be in [0, 1), not {InputDropout}.");
        if (!(Dropout >= 0 && Dropout < 1)) throw new ArgumentException($"AutoRec's Dropout must be in [0, 1), not {Dropout}.");
        if (!(L2 >= 0) || !float.IsFinite(L2)) throw new ArgumentException($"AutoRec's L2 must be a number ≥ 0, not {L2}.");
        if (Epochs < 1) throw new ArgumentException($"AutoRec's Epochs must be at least 1, not {Epochs}.");
        if (BatchSize is < 1) throw new ArgumentException($"AutoRec's BatchSize must be at least 1, not {BatchSize}.");
        if (!(LearningRate > 0) || !float.IsFinite(LearningRate)) throw new ArgumentException($"AutoRec's LearningRate must be a positive number, not {LearningRate}.");
    }
}

/// <summary>How an AutoRec network is optimised.</summary>
public enum AutoRecOptimizer
{
    /// <summary>Full-batch Rprop (the paper trained with L-BFGS/Rprop; PyTorch's reference script uses Rprop).</summary>
    Rprop,

    /// <summary>Adam over mini-batches of rows.</summary>
    Adam,
}
