namespace Latent.Engine.Nn;

/// <summary>Zeroes each element with probability p while training (scaling the rest by 1/(1−p)); identity in eval mode.</summary>
public sealed class Dropout : Module
{
    private readonly Rng _rng;

    /// <summary>Dropout with probability <paramref name="p"/> in [0, 1), drawing from <paramref name="rng"/> (the default source when null).</summary>
    public Dropout(float p, Rng? rng = null)
    {
        if (!(p >= 0f && p < 1f)) throw new ArgumentOutOfRangeException(nameof(p), p, "Dropout probability must be in [0, 1).");
        P = p;
        _rng = rng ?? Rng.Default;
    }

    /// <summary>The probability that an element is zeroed while training.</summary>
    public float P { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Ops.Dropout(input, P, _rng, IsTraining);
}
