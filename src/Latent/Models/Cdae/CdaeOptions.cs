namespace Latent.Models.Cdae;

/// <summary>
/// How a collaborative denoising autoencoder is built and trained (Wu et al., "Collaborative Denoising Auto-Encoders
/// for Top-N Recommender Systems", WSDM 2016). The defaults were chosen by NDCG@10 on a validation split of MovieLens
/// 100K's u1.base (ratings ≥ 4 relevant): 100 units and 60 epochs gave 0.196, against 0.160 for the paper's 50 units,
/// 0.188 for 50 units over 120 epochs and 0.177 for 100 units over 120 (popularity: 0.084).
/// </summary>
public sealed record CdaeOptions
{
    /// <summary>Hidden units (the paper used 50; 100 ranked better on validation).</summary>
    public int Hidden { get; init; } = 100;

    /// <summary>Share of a user's interactions dropped from the input in every training step (the denoising corruption; 0.5 was no better on validation).</summary>
    public float Corruption { get; init; } = 0.2f;

    /// <summary>Items the user has not interacted with, drawn at random as negatives, per interaction in each step.</summary>
    public int NegativeSamples { get; init; } = 5;

    /// <summary>λ of the L2 penalty (λ/2)·Σ‖W‖² on the weights and the user embedding, added to the summed logistic loss.</summary>
    public float L2 { get; init; } = 1f;

    /// <summary>Training epochs.</summary>
    public int Epochs { get; init; } = 60;

    /// <summary>Users per step.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Adam's learning rate.</summary>
    public float LearningRate { get; init; } = 3e-3f;

    /// <summary>Refuses impossible settings; the messages name each setting.</summary>
    internal void Validate()
    {
        if (Hidden < 1) throw new ArgumentException($"CDAE's Hidden must be at least 1, not {Hidden}.");
        if (!(Corruption >= 0 && Corruption < 1)) throw new ArgumentException($"CDAE's Corruption must be in [0, 1), not {Corruption}.");
        if (NegativeSamples < 0) throw new ArgumentException($"CDAE's NegativeSamples must be 0 or more, not {NegativeSamples}.");
        if (!(L2 >= 0) || !float.IsFinite(L2)) throw new ArgumentException($"CDAE's L2 must be a number ≥ 0, not {L2}.");
        if (Epochs < 1) throw new ArgumentException($"CDAE's Epochs must be at least 1, not {Epochs}.");
        if (BatchSize < 1) throw new ArgumentException($"CDAE's BatchSize must be at least 1, not {BatchSize}.");
        if (!(LearningRate > 0) || !float.IsFinite(LearningRate)) throw new ArgumentException($"CDAE's LearningRate must be a positive number, not {LearningRate}.");
    }
}
