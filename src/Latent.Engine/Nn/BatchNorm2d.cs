namespace Latent.Engine.Nn;

/// <summary>
/// Batch normalisation of image channels: y = (x − μ_c) / √(σ²_c + ε) · γ_c + β_c, statistics over batch, height and
/// width (see <see cref="Ops.BatchNorm"/>). Training uses the batch's statistics and updates running estimates
/// (momentum 0.1, unbiased variance, as PyTorch); eval mode uses the running estimates.
/// input/output: [batch, channels, height, width].
/// <code>
/// var bn = new BatchNorm2d(64);
/// Tensor y = bn.Forward(x);   // x: [32, 64, 14, 14]
/// </code>
/// </summary>
public sealed class BatchNorm2d : Module
{
    /// <summary>A layer for <paramref name="channels"/> channels with γ = 1, β = 0, running mean 0 and running variance 1.</summary>
    public BatchNorm2d(int channels, float epsilon = 1e-5f, float momentum = 0.1f)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        (Channels, Epsilon, Momentum) = (channels, epsilon, momentum);
        Gamma = AddParameter("weight", Tensor.Ones(channels));
        Beta = AddParameter("bias", Tensor.Zeros(channels));
        RunningMean = AddBuffer("running_mean", Tensor.Zeros(channels));
        RunningVar = AddBuffer("running_var", Tensor.Ones(channels));
    }

    /// <summary>Number of channels normalised.</summary>
    public int Channels { get; }
    /// <summary>ε added to the variance before the square root.</summary>
    public float Epsilon { get; }
    /// <summary>Weight of the new batch in the running estimates (0.1: 10%).</summary>
    public float Momentum { get; }
    /// <summary>The learned scale γ, one per channel (saved as <c>weight</c>).</summary>
    public Tensor Gamma { get; }
    /// <summary>The learned shift β, one per channel (saved as <c>bias</c>).</summary>
    public Tensor Beta { get; }
    /// <summary>The running mean used in eval mode (a buffer, not trained by gradients).</summary>
    public Tensor RunningMean { get; }
    /// <summary>The running (unbiased) variance used in eval mode (a buffer).</summary>
    public Tensor RunningVar { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        if (input.Rank != 4 || input.Dim(1) != Channels)
            throw new ArgumentException($"BatchNorm2d({Channels}) expects input [batch, {Channels}, height, width]; got {Shapes.Format(input.ShapeArray)}.");
        return Ops.BatchNorm(input, Gamma, Beta, RunningMean, RunningVar, IsTraining, Momentum, Epsilon);
    }
}
