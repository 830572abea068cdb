using Latent.Engine;

namespace Latent.Tests.Applications.AnomalyDetection;

/// <summary>Test data: rows that lie near a low-dimensional linear subspace, with anomalies planted off it.</summary>
internal static class SyntheticRows
{
    /// <summary>rows × columns values x = z·W + noise, z ~ N(0, I) with <paramref name="factors"/> dimensions; W is fixed by <paramref name="structureSeed"/>.</summary>
    public static float[] Normal(int rows, int columns, int factors, ulong seed, ulong structureSeed = 99, float noise = 0.1f)
    {
        var structure = new Rng(structureSeed);
        var w = new float[factors * columns];
        structure.FillNormal(w, 0f, 1f);
        var rng = new Rng(seed);
        var x = new float[rows * columns];
        var z = new float[factors];
        for (int r = 0; r < rows; r++)
        {
            rng.FillNormal(z, 0f, 1f);
            for (int c = 0; c < columns; c++)
            {
                float v = noise * rng.NextNormal();
                for (int f = 0; f < factors; f++) v += z[f] * w[f * columns + c];
                x[r * columns + c] = v;
            }
        }
        return x;
    }

    /// <summary>Moves row <paramref name="row"/> off the subspace: <paramref name="columns"/> of its cells shift by <paramref name="shift"/>.</summary>
    public static void Plant(float[] x, int width, int row, IEnumerable<int> columns, float shift)
    {
        foreach (int c in columns) x[row * width + c] += shift;
    }

    public static Tensor Tensor(float[] x, int width) => Latent.Engine.Tensor.FromArray(x, x.Length / width, width);
}
