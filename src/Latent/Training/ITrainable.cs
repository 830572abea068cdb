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
    /// <see cref="Loss(Tensor, Rng)"/> told which rows of the training data the batch holds, for a model that pairs
    /// each row with data of its own (a denoiser trained on pairs takes the clean targets of the same rows), so that
    /// the pairs need not be joined into one copy of the data.
    /// </summary>
    Tensor Loss(Tensor batch, ReadOnlySpan<int> rows, Rng rng) => Loss(batch, rng);

    /// <summary>
    /// The training rows of <paramref name="epoch"/> (1-based), given all of them; the loop shuffles what it gets and
    /// splits it into as many batches as a full epoch has. All of them by default; robust training leaves some out.
    /// </summary>
    int[] EpochRows(int epoch, int[] train) => train;
}
