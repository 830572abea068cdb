using Latent.Engine;
using Latent.Engine.Nn;

namespace Latent.Models;

/// <summary>
/// The optional penalties a <see cref="DenseAutoencoder"/> adds to its reconstruction loss: a sparsity penalty on the
/// code (<see cref="Sparsity"/>) and a contractive penalty on the encoder (<see cref="DenseAutoencoderConfig.ContractiveWeight"/>).
/// </summary>
internal static class CodePenalties
{
    /// <summary>L1: mean over rows of Σ|code|; KL: Σⱼ KL(ρ ‖ ρ̂ⱼ) = ρ log(ρ/ρ̂) + (1−ρ) log((1−ρ)/(1−ρ̂)), ρ̂ the mean activation over the batch.</summary>
    public static Tensor Sparse(DenseAutoencoderConfig config, Tensor code)
    {
        if (config.Sparsity == Sparsity.L1) return Ops.Abs(code).Sum() / code.Dim(0);
        float rho = config.SparsityTarget;
        Tensor mean = Ops.Clamp(code.Mean(0), 1e-6f, 1f - 1e-6f);
        Tensor kl = rho * (MathF.Log(rho) - Ops.Log(mean)) + (1f - rho) * (MathF.Log(1f - rho) - Ops.Log(1f - mean));
        return kl.Sum();
    }

    /// <summary>
    /// ‖J‖²_F of the encoder, estimated without forming the Jacobian: for ε ~ N(0, σ²I),
    /// E‖f(x + ε) − f(x)‖² ≈ σ²‖J‖²_F, so one noisy pass per row gives an unbiased, differentiable estimate
    /// for any depth (the closed form exists only for a single sigmoid layer).
    /// </summary>
    public static Tensor Contractive(Module encoder, Tensor batch, Tensor code, Rng rng)
    {
        const float sigma = 0.01f;
        using Tensor noise = Tensor.Normal(rng, 0f, sigma, [.. batch.Shape]);
        Tensor difference = encoder.Forward(batch + noise) - code;
        return (difference * difference).Sum() / (sigma * sigma * batch.Dim(0));
    }
}
