using Latent.Engine;
using Latent.Engine.Nn;
using Latent.Imaging;

namespace Latent.Models;

/// <summary>
/// The convolutional encoder and decoder of a <see cref="VariationalAutoencoder"/> for images
/// (<see cref="VariationalAutoencoderConfig.Image"/> set). The label of a conditional model enters only the decoder.
/// </summary>
internal static class ConvolutionalVaeLayers
{
    /// <summary>
    /// Encoder: image → stride-2 convolutions → flatten → [μ | log σ²]; decoder: [z | label] → dense → feature map →
    /// stride-2 transposed convolutions → a convolution to the image's channels → flattened output.
    /// </summary>
    public static (Sequential Encoder, Sequential Decoder) Build(VariationalAutoencoderConfig config, ImageShape image, Rng rng)
    {
        int k = config.KernelSize, channels = image.Channels, height = image.Height, width = image.Width;
        var encoder = new Sequential(new Reshape(image.Channels, image.Height, image.Width));
        foreach (int filters in config.Filters)
        {
            encoder.Add(new Conv2d(channels, filters, k, stride: 2, padding: Padding2d.Same, activation: config.Activation, rng: rng));
            (channels, height, width) = (filters, height / 2, width / 2);
        }
        int flat = channels * height * width;
        encoder.Add(new Reshape(flat));
        encoder.Add(new Linear(flat, 2 * config.CodeSize, rng: rng));

        var decoder = new Sequential(
            new Linear(config.CodeSize + config.Classes, flat, activation: config.Activation, rng: rng),
            new Reshape(channels, height, width));
        foreach (int filters in config.Filters.Reverse().Skip(1).Append(config.Filters[0]))
        {
            decoder.Add(new ConvTranspose2d(channels, filters, k, stride: 2, padding: Padding2d.Same, activation: config.Activation, rng: rng));
            channels = filters;
        }
        int pad = (k - 1) / 2;
        decoder.Add(new Conv2d(channels, image.Channels, k, padding: new Padding2d(pad, k - 1 - pad, pad, k - 1 - pad), rng: rng));
        decoder.Add(new Reshape(image.Size));
        return (encoder, decoder);
    }
}
