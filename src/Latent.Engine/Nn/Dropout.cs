namespace Latent.Engine.Nn;

/// <summary>Zeroes each element with probability p while training (scaling the rest by 1/(1−p)); identity in eval mode.</summary>
public sealed class Dropout : Module
{
    private readonly Rng _rng;

    public Dropout(float p, Rng? rng = null)
    {
        if (!(p >= 0f && p < 1f)) throw new ArgumentOutOfRangeException(nameof(p), p, "Dropout probability must be in [0, 1).");
        P = p;
        _rng = rng ?? Rng.Default;
    }

    public float P { get; }

    public override Tensor Forward(Tensor input) => Ops.Dropout(input, P, _rng, IsTraining);
}
