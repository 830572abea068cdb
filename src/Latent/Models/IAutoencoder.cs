using Latent.Engine;
using Latent.Training;

namespace Latent.Models;

/// <summary>
/// What every autoencoder in Latent offers. Data are rows [rows, <see cref="Inputs"/>] in the user's units
/// (any scaling the model learned is applied and undone inside); codes are [rows, <see cref="CodeSize"/>].
/// After <see cref="Fit"/>, inference methods are thread-safe and never modify their arguments.
/// </summary>
public interface IAutoencoder
{
    /// <summary>Number of input features per row.</summary>
    int Inputs { get; }

    /// <summary>Size of the code (the bottleneck).</summary>
    int CodeSize { get; }

    /// <summary>What the rows are (image geometry or table schema), when known; saved with the model.</summary>
    DataDescription? Data { get; }

    /// <summary>Trains on the rows of <paramref name="data"/>; returns the per-epoch history. <paramref name="progress"/> hears of every batch and epoch.</summary>
    History Fit(Tensor data, FitOptions? options = null, IProgress<TrainingProgress>? progress = null, CancellationToken cancel = default);

    /// <summary>The codes of the rows: [rows, CodeSize].</summary>
    Tensor Encode(Tensor data);

    /// <summary>Rows rebuilt from codes: [rows, Inputs].</summary>
    Tensor Decode(Tensor codes);

    /// <summary>Decode(Encode(data)).</summary>
    Tensor Reconstruct(Tensor data);

    /// <summary>Each row's mean squared reconstruction error, measured in the model's (scaled) space.</summary>
    float[] ReconstructionError(Tensor data);

    /// <summary>Writes the model (weights, architecture, scaling, training summary) to a safetensors file, atomically.</summary>
    void Save(string path);
}
