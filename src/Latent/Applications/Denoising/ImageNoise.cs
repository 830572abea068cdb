using Latent.Engine;

namespace Latent.Applications.Denoising;

/// <summary>The corruptions a <see cref="Denoiser"/> learns to undo.</summary>
public enum NoiseKind
{
    /// <summary>x + strength·N(0, 1), clipped to [0, 1] (the Keras denoising example uses strength 0.5).</summary>
    Gaussian,

    /// <summary>With probability strength a pixel becomes 0 or 1 (each half the time).</summary>
    SaltAndPepper,

    /// <summary>With probability strength a pixel becomes 0 (dropped), as in masking-noise denoising autoencoders.</summary>
    Masking,
}

/// <summary>
/// Adds <see cref="NoiseKind"/> noise to images in [0, 1] (any layout: each value is corrupted independently; for
/// salt-and-pepper and masking all channels of a value's position are not tied together).
/// </summary>
/// <example>
/// <code>
/// var noise = new ImageNoise(NoiseKind.Gaussian, 0.5f);
/// Tensor noisy = noise.Apply(clean, new Rng(1));   // same shape, clipped to [0, 1]
/// </code>
/// </example>
public sealed record ImageNoise
{
    /// <summary>Noise of <paramref name="kind"/>: σ ≥ 0 for Gaussian, a probability in [0, 1] for the others.</summary>
    public ImageNoise(NoiseKind kind, float strength)
    {
        if (!Enum.IsDefined(kind)) throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown noise kind.");
        if (!float.IsFinite(strength) || strength < 0 || (kind != NoiseKind.Gaussian && strength > 1))
            throw new ArgumentException(kind == NoiseKind.Gaussian
                ? $"The Gaussian noise level must be a number ≥ 0, not {strength}."
                : $"The {kind} probability must be in [0, 1], not {strength}.", nameof(strength));
        (Kind, Strength) = (kind, strength);
    }

    /// <summary>Which noise.</summary>
    public NoiseKind Kind { get; }

    /// <summary>
    /// The noise of <paramref name="kind"/> at the strength used when none is given: σ = 0.5 for Gaussian (the Keras
    /// denoising example), p = 0.2 for salt-and-pepper and p = 0.3 for masking (clearly visible, still recoverable).
    /// </summary>
    public static ImageNoise Typical(NoiseKind kind) => new(kind, kind switch
    {
        NoiseKind.SaltAndPepper => 0.2f,
        NoiseKind.Masking => 0.3f,
        _ => 0.5f,
    });

    /// <summary>The standard deviation (Gaussian) or the probability that a pixel is hit (salt and pepper, masking).</summary>
    public float Strength { get; }

    /// <summary>A noisy copy of <paramref name="clean"/> (not recorded for gradients).</summary>
    public Tensor Apply(Tensor clean, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(clean);
        var noisy = clean.Detach();
        Apply(noisy.Span, rng);
        return noisy;
    }

    /// <summary>
    /// Noisy copies of <paramref name="images"/> (any sizes), drawn in order from one generator seeded with
    /// <paramref name="seed"/>: the same seed and images give the same noise. Lazy: each copy is made as it is read.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancel"/> was triggered (checked before each image).</exception>
    public IEnumerable<float[]> ApplyEach(IEnumerable<float[]> images, ulong seed, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(images);
        var rng = new Rng(seed);
        foreach (float[] image in images)
        {
            cancel.ThrowIfCancellationRequested();
            float[] noisy = (float[])image.Clone();
            Apply(noisy, rng);
            yield return noisy;
        }
    }

    /// <summary>Corrupts <paramref name="values"/> in place.</summary>
    public void Apply(Span<float> values, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        switch (Kind)
        {
            case NoiseKind.Gaussian:
                for (int i = 0; i < values.Length; i++) values[i] = Math.Clamp(values[i] + Strength * rng.NextNormal(), 0f, 1f);
                break;
            case NoiseKind.SaltAndPepper:
                for (int i = 0; i < values.Length; i++)
                {
                    float u = rng.NextFloat();
                    if (u < Strength) values[i] = u < Strength / 2 ? 0f : 1f;
                }
                break;
            default:
                for (int i = 0; i < values.Length; i++)
                    if (rng.NextFloat() < Strength) values[i] = 0f;
                break;
        }
    }

    /// <summary>The noise in words, e.g. "Gaussian noise σ = 0.5".</summary>
    public override string ToString() => Kind switch
    {
        NoiseKind.Gaussian => $"Gaussian noise σ = {Strength}",
        NoiseKind.SaltAndPepper => $"salt-and-pepper noise p = {Strength}",
        _ => $"masking noise p = {Strength}",
    };
}
