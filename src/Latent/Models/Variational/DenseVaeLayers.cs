using Latent.Engine;
using Latent.Engine.Nn;

namespace Latent.Models;

/// <summary>The fully connected encoder and decoder of a <see cref="VariationalAutoencoder"/> (the default, for any rows).</summary>
internal static class DenseVaeLayers
{
    /// <summary>Encoder: [x | label] → hidden… → [μ | log σ²] in one layer; decoder: [z | label] → hidden reversed… → output.</summary>
    public static (Sequential Encoder, Sequential Decoder) Build(VariationalAutoencoderConfig config, Rng rng)
    {
        int[] widths = [config.Inputs + config.Classes, .. config.Hidden];
        var encoder = new Sequential();
        for (int i = 0; i + 1 < widths.Length; i++) encoder.Add(new Linear(widths[i], widths[i + 1], activation: config.Activation, rng: rng));
        encoder.Add(new Linear(widths[^1], 2 * config.CodeSize, rng: rng));
        int[] back = [config.CodeSize + config.Classes, .. config.Hidden.Reverse()];
        var decoder = new Sequential();
        for (int i = 0; i + 1 < back.Length; i++) decoder.Add(new Linear(back[i], back[i + 1], activation: config.Activation, rng: rng));
        decoder.Add(new Linear(back[^1], config.Inputs, rng: rng));
        return (encoder, decoder);
    }
}
