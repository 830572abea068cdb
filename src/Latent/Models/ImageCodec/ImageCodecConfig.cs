using System.Text.Json.Serialization;

namespace Latent.Models;

/// <summary>
/// Architecture of an <see cref="ImageCodecModel"/>: Ballé et al.'s codec (2018, CompressAI's "bmshj2018-hyperprior",
/// or "bmshj2018-factorized" without <see cref="Hyperprior"/>) with a smaller default width so that a model trains on a
/// CPU in minutes: four 5×5 stride-2 convolutions with GDN between them take RGB to <see cref="LatentChannels"/> planes
/// at 1/16 of the size, and four transposed ones with IGDN come back. Stored in the model file.
/// </summary>
public sealed record ImageCodecConfig
{
    /// <summary>Channels of the hidden layers (Ballé's N: 128 for the low qualities, 192 for the high ones; 64 trains 4× faster).</summary>
    public int Filters { get; init; } = 64;

    /// <summary>Channels of the quantised latent (Ballé's M: 192 or 320).</summary>
    public int LatentChannels { get; init; } = 96;

    /// <summary>
    /// Logistics in each latent channel's learned density. Our substitute for Ballé's non-parametric density (a small
    /// monotone network per channel): three logistics fit the peaked, heavy-tailed shapes latents take as well, with
    /// nine numbers per channel and a closed-form CDF.
    /// </summary>
    public int MixtureComponents { get; init; } = 3;

    /// <summary>
    /// Whether a hyperprior codes the latent (Ballé et al. 2018's scale hyperprior): a second, smaller latent at 1/64 of
    /// the image's size, coded first under a factorised density, tells the decoder the scale of each value of the main
    /// latent, which is then coded under a logistic of that scale. Without it, each channel of the main latent has one
    /// density for all positions (the factorised prior), and images need only be padded to multiples of 16.
    /// </summary>
    public bool Hyperprior { get; init; } = true;

    /// <summary>Seeds the initial weights.</summary>
    public ulong Seed { get; init; }

    /// <summary>The factor by which the latent is smaller than the image in each direction (four stride-2 stages).</summary>
    public const int Stride = 16;

    /// <summary>The factor by which the hyper-latent is smaller than the latent in each direction (two stride-2 stages).</summary>
    public const int HyperStride = 4;

    /// <summary>What image sides must be multiples of (the codec pads to it): 64 with a hyperprior, else 16.</summary>
    [JsonIgnore]
    public int Alignment => Hyperprior ? Stride * HyperStride : Stride;

    /// <summary>Channels of the factorised latent: the hyper-latent's (<see cref="Filters"/>) with a hyperprior, else the latent's.</summary>
    [JsonIgnore]
    public int FactorisedChannels => Hyperprior ? Filters : LatentChannels;

    internal void Validate()
    {
        if (Filters is < 1 or > 1024) throw new ArgumentException($"An image codec needs 1 to 1024 filters, not {Filters}.");
        if (LatentChannels is < 1 or > 1024) throw new ArgumentException($"An image codec needs 1 to 1024 latent channels, not {LatentChannels}.");
        if (MixtureComponents is < 1 or > 16) throw new ArgumentException($"A latent density needs 1 to 16 mixture components, not {MixtureComponents}.");
    }
}
