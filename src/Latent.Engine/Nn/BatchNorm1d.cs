namespace Latent.Engine.Nn;

/// <summary>
/// Batch normalisation over the batch axis: y = (x − μ) / √(σ² + ε) · γ + β per feature.
/// Training uses the batch's mean and (biased) variance and updates running estimates
/// (momentum 0.1, unbiased variance, as PyTorch does); eval mode uses the running estimates.
/// input/output: [batch, features].
/// </summary>
public sealed class BatchNorm1d : Module
{
    /// <summary>A layer for <paramref name="features"/> features with γ = 1, β = 0, running mean 0 and running variance 1.</summary>
    public BatchNorm1d(int features, float epsilon = 1e-5f, float momentum = 0.1f)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(features);
        Features = features;
        Epsilon = epsilon;
        Momentum = momentum;
        Gamma = AddParameter("weight", Tensor.Ones(features));
        Beta = AddParameter("bias", Tensor.Zeros(features));
        RunningMean = AddBuffer("running_mean", Tensor.Zeros(features));
        RunningVar = AddBuffer("running_var", Tensor.Ones(features));
    }

    /// <summary>Number of features normalised.</summary>
    public int Features { get; }
    /// <summary>ε added to the variance before the square root.</summary>
    public float Epsilon { get; }
    /// <summary>Weight of the new batch in the running estimates (0.1: 10%).</summary>
    public float Momentum { get; }
    /// <summary>The learned scale γ, one per feature (saved as <c>weight</c>).</summary>
    public Tensor Gamma { get; }
    /// <summary>The learned shift β, one per feature (saved as <c>bias</c>).</summary>
    public Tensor Beta { get; }
    /// <summary>The running mean used in eval mode (a buffer, not trained by gradients).</summary>
    public Tensor RunningMean { get; }
    /// <summary>The running (unbiased) variance used in eval mode (a buffer).</summary>
    public Tensor RunningVar { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        if (input.Rank != 2 || input.Dim(1) != Features)
            throw new ArgumentException($"BatchNorm1d({Features}) expects input [batch, {Features}]; got {Shapes.Format(input.ShapeArray)}.");
        if (!IsTraining)
        {
            // Fold the running statistics into one scale and shift per feature.
            Tensor scale = Gamma * Ops.Pow(RunningVar + Epsilon, -0.5f);
            Tensor shift = Beta - RunningMean * scale;
            return input * scale + shift;
        }
        int batch = input.Dim(0);
        if (batch < 2) throw new ArgumentException("BatchNorm1d needs at least 2 rows per batch in training mode.");
        Tensor mean = input.Mean(0);
        Tensor centered = input - mean;
        Tensor variance = (centered * centered).Mean(0);
        UpdateRunningStatistics(mean, variance, batch);
        return centered * Ops.Pow(variance + Epsilon, -0.5f) * Gamma + Beta;
    }

    private void UpdateRunningStatistics(Tensor mean, Tensor variance, int batch)
    {
        Span<float> rm = RunningMean.Span, rv = RunningVar.Span;
        ReadOnlySpan<float> m = mean.Span, v = variance.Span;
        float unbias = batch / (batch - 1f);
        for (int j = 0; j < Features; j++)
        {
            rm[j] = (1 - Momentum) * rm[j] + Momentum * m[j];
            rv[j] = (1 - Momentum) * rv[j] + Momentum * v[j] * unbias;
        }
    }
}
