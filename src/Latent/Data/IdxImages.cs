using Latent.Engine;

namespace Latent.Data;

/// <summary>
/// Grayscale images read from an IDX file: <see cref="Pixels"/> is [count, height × width], row-major, in [0, 1].
/// </summary>
public sealed record IdxImages(Tensor Pixels, int Height, int Width)
{
    /// <summary>The number of images.</summary>
    public int Count => Pixels.Dim(0);
}
