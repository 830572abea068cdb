namespace Latent.Applications.Recommendation;

/// <summary>Biased matrix factorisation with Surprise's SVD defaults (lr 0.005, reg 0.02, 20 epochs) and the reference script's 50 factors.</summary>
public sealed record MatrixFactorizationOptions
{
    /// <summary>Latent factors per user and item.</summary>
    public int Factors { get; init; } = 50;

    /// <summary>Passes over the shuffled ratings.</summary>
    public int Epochs { get; init; } = 20;

    /// <summary>SGD step size.</summary>
    public float LearningRate { get; init; } = 0.005f;

    /// <summary>L2 weight on biases and factors in every update.</summary>
    public float Regularization { get; init; } = 0.02f;

    /// <summary>Refuses impossible settings; the messages name each setting.</summary>
    internal void Validate()
    {
        if (Factors < 1) throw new ArgumentException($"MatrixFactorization's Factors must be at least 1, not {Factors}.");
        if (Epochs < 1) throw new ArgumentException($"MatrixFactorization's Epochs must be at least 1, not {Epochs}.");
        if (!(LearningRate > 0) || !float.IsFinite(LearningRate)) throw new ArgumentException($"MatrixFactorization's LearningRate must be a positive number, not {LearningRate}.");
        if (!(Regularization >= 0) || !float.IsFinite(Regularization)) throw new ArgumentException($"MatrixFactorization's Regularization must be a number ≥ 0, not {Regularization}.");
    }
}
