using Latent.Engine;

namespace Latent.Bench;

/// <summary>The search benchmark's synthetic code sets: an easy one shaped like an encoder's codes, and a hard one.</summary>
internal static class SyntheticCodes
{
    /// <summary>
    /// Codes like an encoder's: 64 clusters in an 8-dimensional factor space, mapped into <paramref name="dim"/> values by
    /// a fixed random linear map, plus isotropic noise (a tenth of the clusters' spread) in all of them. The intrinsic
    /// dimension is low, which flatters graph search. The clusters and the map are the same for every seed, so
    /// queries drawn with another seed come from the same distribution as the database.
    /// </summary>
    public static Tensor Clustered(int rows, int dim, ulong seed)
    {
        const int factors = 8, clusters = 64;
        var rng = new Rng(7);
        float[] map = Tensor.Normal(rng, 0f, 1f / MathF.Sqrt(factors), factors, dim).ToArray();
        float[] centres = Tensor.Normal(rng, 0f, 1f, clusters, factors).ToArray();
        var draw = new Rng(seed);
        float[] z = Tensor.Normal(draw, 0f, 0.5f, rows, factors).ToArray(), noise = Tensor.Normal(draw, 0f, 0.1f, rows, dim).ToArray();
        var values = new float[rows * dim];
        var pick = new Random((int)seed);
        for (int r = 0; r < rows; r++)
        {
            int c = pick.Next(clusters);
            for (int j = 0; j < dim; j++)
            {
                float sum = noise[r * dim + j];
                for (int f = 0; f < factors; f++) sum += (centres[c * factors + f] + z[r * factors + f]) * map[f * dim + j];
                values[r * dim + j] = sum;
            }
        }
        return Tensor.FromArray(values, rows, dim);
    }

    /// <summary>
    /// Isotropic standard normal codes: the intrinsic dimension is the full <paramref name="dim"/>, nearest neighbours
    /// are barely nearer than the rest, and graph search needs a much larger ef for the same recall.
    /// </summary>
    public static Tensor Gaussian(int rows, int dim, ulong seed) => Tensor.Normal(new Rng(seed), 0f, 1f, rows, dim);
}
