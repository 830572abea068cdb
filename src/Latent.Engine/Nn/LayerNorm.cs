namespace Latent.Engine.Nn;

/// <summary>
/// Layer normalisation over the last axis: y = (x − μ) / √(σ² + ε) · γ + β, with μ and σ² of each row.
/// Behaves the same in training and eval mode. input/output: [..., features].
/// </summary>
public sealed class LayerNorm : Module
{
    /// <summary>A layer over rows of <paramref name="features"/> values with γ = 1 and β = 0.</summary>
    public LayerNorm(int features, float epsilon = 1e-5f)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(features);
        Features = features;
        Epsilon = epsilon;
        Gamma = AddParameter("weight", Tensor.Ones(features));
        Beta = AddParameter("bias", Tensor.Zeros(features));
    }

    /// <summary>Values per row that are normalised together.</summary>
    public int Features { get; }
    /// <summary>ε added to the variance before the square root.</summary>
    public float Epsilon { get; }
    /// <summary>The learned scale γ per feature (saved as <c>weight</c>).</summary>
    public Tensor Gamma { get; }
    /// <summary>The learned shift β per feature (saved as <c>bias</c>).</summary>
    public Tensor Beta { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        if (input.Rank == 0 || input.Dim(-1) != Features)
            throw new ArgumentException($"LayerNorm({Features}) expects input [..., {Features}]; got {Shapes.Format(input.ShapeArray)}.");
        Tensor centered = input - input.Mean(-1, keepDim: true);
        Tensor variance = (centered * centered).Mean(-1, keepDim: true);
        return centered * Ops.Pow(variance + Epsilon, -0.5f) * Gamma + Beta;
    }
}
