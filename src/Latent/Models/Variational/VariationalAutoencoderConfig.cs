using Latent.Engine;
using Latent.Imaging;

namespace Latent.Models;

/// <summary>How a variational autoencoder scores a row given its code: the decoder's output distribution.</summary>
public enum Likelihood
{
    /// <summary>Independent Bernoulli per value (binary cross-entropy), for data in [0, 1] such as pixel intensities.</summary>
    Bernoulli,
    /// <summary>Independent Gaussian per value with a learned variance per column, for real-valued (scaled) data.</summary>
    Gaussian,
}

/// <summary>
/// Architecture of a <see cref="VariationalAutoencoder"/>: inputs (+ one-hot label) → hidden… → (mean, log-variance)
/// of a Gaussian code; code (+ label) → reversed hidden… → the likelihood's parameters. Stored in the model file.
/// </summary>
public sealed record VariationalAutoencoderConfig
{
    /// <summary>Values per row.</summary>
    public required int Inputs { get; init; }
    /// <summary>Encoder widths from the input side; the decoder mirrors them. The pytorch/examples VAE uses [400].</summary>
    public int[] Hidden { get; init; } = [400];
    /// <summary>Size of the code (the dimension of z).</summary>
    public int CodeSize { get; init; } = 20;
    /// <summary>Activation of the hidden layers.</summary>
    public Activation Activation { get; init; } = Activation.Relu;
    /// <summary>The decoder's output distribution.</summary>
    public Likelihood Likelihood { get; init; } = Likelihood.Bernoulli;
    /// <summary>Weight of the KL term (β-VAE); 1 gives the evidence lower bound.</summary>
    public float Beta { get; init; } = 1f;
    /// <summary>Epochs over which the KL weight rises linearly from 0 to <see cref="Beta"/> (0 = from the start).</summary>
    public int KlWarmupEpochs { get; init; }
    /// <summary>Number of classes for a conditional VAE (the label is an input of encoder and decoder); 0 = unconditional.</summary>
    public int Classes { get; init; }
    /// <summary>How input columns are scaled before training (undone on output).</summary>
    public Scaling Scaling { get; init; } = Scaling.None;
    /// <summary>
    /// When set, a convolutional VAE for images of this shape (rows are the flattened channel-first pixels): strided
    /// convolutions with <see cref="Filters"/> channels halve the image per level, transposed ones double it back;
    /// <see cref="Hidden"/> is not used. The label of a conditional VAE enters only the decoder.
    /// </summary>
    public ImageShape? Image { get; init; }
    /// <summary>Channels of the convolutional encoder's levels, from the image side (mirrored by the decoder).</summary>
    public int[] Filters { get; init; } = [32, 64];
    /// <summary>Side of the convolution kernels.</summary>
    public int KernelSize { get; init; } = 3;
    /// <summary>Seeds the initial weights.</summary>
    public ulong Seed { get; init; }

    internal void Validate()
    {
        if (Inputs < 1) throw new ArgumentException($"The number of inputs must be at least 1, not {Inputs}.");
        if (CodeSize < 1) throw new ArgumentException($"The code size must be at least 1, not {CodeSize}.");
        if (Image is null && (Hidden.Length == 0 || Hidden.Any(h => h < 1))) throw new ArgumentException($"A VAE needs at least one hidden layer of width ≥ 1; got [{string.Join(", ", Hidden)}].");
        if (!(Beta >= 0) || !float.IsFinite(Beta)) throw new ArgumentException($"Beta must be ≥ 0, not {Beta}.");
        if (KlWarmupEpochs < 0) throw new ArgumentException($"KL warm-up epochs must be ≥ 0, not {KlWarmupEpochs}.");
        if (Image is { } image)
        {
            int scale = 1 << Filters.Length;
            if (image.Size != Inputs) throw new ArgumentException($"Images of {image.Channels}×{image.Height}×{image.Width} are {image.Size} values per row, not {Inputs}.");
            if (Filters.Length == 0 || Filters.Any(f => f < 1)) throw new ArgumentException($"A convolutional VAE needs at least one level of filters ≥ 1; got [{string.Join(", ", Filters)}].");
            if (image.Height % scale != 0 || image.Width % scale != 0)
                throw new ArgumentException($"{Filters.Length} levels halve the image {Filters.Length} times, so its sides must be multiples of {scale}; {image.Height}×{image.Width} are not.");
            if (KernelSize < 1) throw new ArgumentException($"The kernel size must be at least 1, not {KernelSize}.");
        }
        if (Classes < 0 || Classes == 1) throw new ArgumentException($"A conditional VAE needs at least 2 classes (0 = unconditional), not {Classes}.");
    }
}
