using Latent.Engine;
using Latent.Engine.Nn;

namespace Latent.Training;

/// <summary>What the shared training loop needs from a model.</summary>
internal interface ITrainable
{
    /// <summary>The network whose parameters are trained.</summary>
    Module Network { get; }

    /// <summary>
    /// The loss of one batch of (already scaled) rows, recorded for backward when training.
    /// <paramref name="rng"/> drives any noise (denoising corruption, contractive sampling).
    /// </summary>
    Tensor Loss(Tensor batch, Rng rng);
}
