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

    /// <summary>
    /// The training rows of <paramref name="epoch"/> (1-based), given all of them; the loop shuffles what it gets and
    /// splits it into as many batches as a full epoch has. All of them by default; robust training leaves some out.
    /// </summary>
    int[] EpochRows(int epoch, int[] train) => train;
}
