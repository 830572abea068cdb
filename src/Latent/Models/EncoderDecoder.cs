using Latent.Engine;
using Latent.Engine.Nn;

namespace Latent.Models;

/// <summary>
/// An encoder and a decoder as one module, so that the training loop and model files see every parameter (named
/// <c>encoder.…</c> and <c>decoder.…</c>). Not called as a whole: a model runs its parts through Encode and Decode.
/// </summary>
internal sealed class EncoderDecoder : Module
{
    public EncoderDecoder(Module encoder, Module decoder)
    {
        AddModule("encoder", encoder);
        AddModule("decoder", decoder);
    }

    public override Tensor Forward(Tensor input) => throw new NotSupportedException("Use the autoencoder's Encode and Decode.");
}
