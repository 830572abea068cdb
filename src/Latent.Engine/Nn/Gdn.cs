namespace Latent.Engine.Nn;

/// <summary>
/// Generalised divisive normalisation (Ballé, Laparra and Simoncelli 2016), the activation of learned image codecs:
/// y_i = x_i / √(β_i + Σ_j γ_ij·x_j²) at every pixel, or its approximate inverse y_i = x_i·√(β_i + Σ_j γ_ij·x_j²)
/// (IGDN, for the decoder). β and γ stay non-negative by being stored as square roots (β = b² + 10⁻⁶, γ = g²); the
/// off-diagonal roots start small but not at zero, where the square's gradient would keep them forever.
/// input: [batch, channels, h, w]; output: the same shape; gamma_root: [channels, channels]; beta_root: [channels].
/// <code>
/// var gdn = new Gdn(128);
/// Tensor h = gdn.Forward(conv.Forward(x));   // [8, 128, 32, 32] → [8, 128, 32, 32]
/// </code>
/// </summary>
public sealed class Gdn : Module
{
    private const float MinBeta = 1e-6f;

    /// <summary>A normalisation over <paramref name="channels"/> channels; <paramref name="inverse"/> gives IGDN.</summary>
    public Gdn(int channels, bool inverse = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        Channels = channels;
        Inverse = inverse;
        GammaRoot = AddParameter("gamma_root", Tensor.Zeros(channels, channels));
        BetaRoot = AddParameter("beta_root", Tensor.Zeros(channels));
        ResetParameters();
    }

    /// <summary>Channels normalised together.</summary>
    public int Channels { get; }
    /// <summary>Whether this is the inverse (IGDN): multiply by the norm instead of dividing.</summary>
    public bool Inverse { get; }
    /// <summary>g with γ = g² (element-wise): [channels, channels], row i weighs the channels that normalise channel i.</summary>
    public Tensor GammaRoot { get; }
    /// <summary>b with β = b² + 10⁻⁶: [channels].</summary>
    public Tensor BetaRoot { get; }

    /// <summary>Ballé's start: β = 1 and γ = 0.1·I (off the diagonal γ = 10⁻⁶), close to the identity for small inputs.</summary>
    public void ResetParameters()
    {
        GammaRoot.Span.Fill(1e-3f);
        for (int i = 0; i < Channels; i++) GammaRoot.Span[i * Channels + i] = MathF.Sqrt(0.1f);
        BetaRoot.Span.Fill(1f);
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        if (input.Rank != 4 || input.Dim(1) != Channels)
            throw new ArgumentException($"Gdn: expected input [batch, {Channels}, height, width]; got {Shapes.Format(input.ShapeArray)}.");
        Tensor gamma = Ops.Reshape(Ops.Multiply(GammaRoot, GammaRoot), Channels, Channels, 1, 1);
        Tensor beta = Ops.AddScalar(Ops.Multiply(BetaRoot, BetaRoot), MinBeta);
        Tensor norm = Ops.Sqrt(Ops.Conv2d(Ops.Multiply(input, input), gamma, beta));
        return Inverse ? Ops.Multiply(input, norm) : Ops.Divide(input, norm);
    }
}
