using Latent.Engine;
using Latent.Models;
using Latent.Training;

namespace Latent.Applications.Generation;

/// <summary>How a <see cref="Generator"/> learns: the variational autoencoder it trains and the training loop's settings.</summary>
public sealed record GeneratorOptions
{
    /// <summary>Encoder widths of the dense VAE (the decoder mirrors them); [400] is the pytorch/examples MNIST VAE.</summary>
    public int[] Hidden { get; init; } = [400];

    /// <summary>Size of the latent code new items are drawn from (the pytorch/examples VAE uses 20).</summary>
    public int CodeSize { get; init; } = 20;

    /// <summary>Activation of the hidden layers.</summary>
    public Activation Activation { get; init; } = Activation.Relu;

    /// <summary>
    /// How the decoder scores a row; null picks by the data: images in [0, 1] get the Bernoulli likelihood of the VAE
    /// papers, anything else (tables) a Gaussian on min-max scaled columns, which also keeps generated values inside
    /// the training range. An explicit Bernoulli on data outside [0, 1] is refused.
    /// </summary>
    public Likelihood? Likelihood { get; init; }

    /// <summary>Weight of the KL term (β-VAE); 1 gives the evidence lower bound.</summary>
    public float Beta { get; init; } = 1f;

    /// <summary>Epochs over which the KL weight rises from 0 to <see cref="Beta"/> (0 = from the start).</summary>
    public int KlWarmupEpochs { get; init; }

    /// <summary>Learn p(x | label) from the data's labels (a conditional VAE), so that sampling can ask for a class.</summary>
    public bool Conditional { get; init; }

    /// <summary>Strided convolutions instead of dense layers (image data only); <see cref="Hidden"/> is then unused.</summary>
    public bool Convolutional { get; init; }

    /// <summary>Channels of the convolutional encoder's levels, from the image side (each halves the image).</summary>
    public int[] Filters { get; init; } = [32, 64];

    /// <summary>Side of the convolution kernels.</summary>
    public int KernelSize { get; init; } = 3;

    /// <summary>The training loop; its seed also seeds the initial weights. The defaults are <see cref="FitOptions"/>'s.</summary>
    public FitOptions Training { get; init; } = new();

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(Training);
        if (Likelihood is { } l && !Enum.IsDefined(l)) throw new ArgumentException($"Unknown likelihood {l}.");
        if (!Convolutional && (Hidden.Length == 0 || Hidden.Any(h => h < 1))) throw new ArgumentException($"Hidden needs at least one layer of width ≥ 1; got [{string.Join(", ", Hidden)}].");
        if (CodeSize < 1) throw new ArgumentException($"CodeSize must be at least 1, not {CodeSize}.");
        Training.Validate();
    }
}
