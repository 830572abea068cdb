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
    public BatchNorm2d(int channels, float epsilon = 1e-5f, float momentum = 0.1f)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        (Channels, Epsilon, Momentum) = (channels, epsilon, momentum);
        Gamma = AddParameter("weight", Tensor.Ones(channels));
        Beta = AddParameter("bias", Tensor.Zeros(channels));
        RunningMean = AddBuffer("running_mean", Tensor.Zeros(channels));
        RunningVar = AddBuffer("running_var", Tensor.Ones(channels));
    }

    public int Channels { get; }
    public float Epsilon { get; }
    public float Momentum { get; }
    public Tensor Gamma { get; }
    public Tensor Beta { get; }
    public Tensor RunningMean { get; }
    public Tensor RunningVar { get; }

    public override Tensor Forward(Tensor input)
    {
        if (input.Rank != 4 || input.Dim(1) != Channels)
            throw new ArgumentException($"BatchNorm2d({Channels}) expects input [batch, {Channels}, height, width]; got {Shapes.Format(input.ShapeArray)}.");
        return Ops.BatchNorm(input, Gamma, Beta, RunningMean, RunningVar, IsTraining, Momentum, Epsilon);
    }
}
