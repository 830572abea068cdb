namespace Latent.Engine.Nn;

/// <summary>
/// Weight initialisers. Fans come from a weight of shape [out, in]: fan_in = in, fan_out = out.
/// Glorot (Xavier) keeps the variance of activations and gradients for tanh/sigmoid/linear layers;
/// He (Kaiming) does the same for ReLU-family layers, which zero half their inputs.
/// </summary>
public static class Init
{
    /// <summary>U(−a, a) with a = √(6 / (fan_in + fan_out)).</summary>
    public static void GlorotUniform(Tensor weight, Rng rng)
    {
        var (fanIn, fanOut) = Fans(weight);
        float a = MathF.Sqrt(6f / (fanIn + fanOut));
        rng.FillUniform(weight.Span, -a, a);
    }

    /// <summary>N(0, 2 / (fan_in + fan_out)).</summary>
    public static void GlorotNormal(Tensor weight, Rng rng)
    {
        var (fanIn, fanOut) = Fans(weight);
        rng.FillNormal(weight.Span, 0f, MathF.Sqrt(2f / (fanIn + fanOut)));
    }

    /// <summary>U(−a, a) with a = √(6 / fan_in).</summary>
    public static void HeUniform(Tensor weight, Rng rng)
    {
        float a = MathF.Sqrt(6f / Fans(weight).FanIn);
        rng.FillUniform(weight.Span, -a, a);
    }

    /// <summary>N(0, 2 / fan_in).</summary>
    public static void HeNormal(Tensor weight, Rng rng) =>
        rng.FillNormal(weight.Span, 0f, MathF.Sqrt(2f / Fans(weight).FanIn));

    /// <summary>
    /// U(−a, a) with a = 1/√fan_in for the weight and for the bias: PyTorch's default for its linear and convolution
    /// layers (kaiming_uniform with a = √5 gives exactly this bound), for reproducing models tuned with it.
    /// </summary>
    public static void FanInUniform(Tensor weight, Tensor? bias, Rng rng)
    {
        float a = 1f / MathF.Sqrt(Fans(weight).FanIn);
        rng.FillUniform(weight.Span, -a, a);
        if (bias is not null) rng.FillUniform(bias.Span, -a, a);
    }

    /// <summary>
    /// A random matrix with orthonormal columns (or rows, whichever are fewer): Gram–Schmidt on normal draws, as
    /// Saxe et al. 2014 recommend for recurrent weights (Keras's default for them). weight: [rows, columns].
    /// </summary>
    public static void Orthogonal(Tensor weight, Rng rng)
    {
        if (weight.Rank != 2) throw new ArgumentException($"Orthogonal initialisation needs a matrix; got shape {Shapes.Format(weight.ShapeArray)}.");
        int rows = weight.Dim(0), columns = weight.Dim(1);
        bool byColumns = columns <= rows;
        int count = byColumns ? columns : rows, length = byColumns ? rows : columns;
        var vectors = new double[count][];
        for (int v = 0; v < count; v++)
        {
            double[] x = vectors[v] = new double[length];
            for (int i = 0; i < length; i++) x[i] = rng.NextNormal();
            for (int u = 0; u < v; u++)   // modified Gram–Schmidt: remove each earlier direction in turn
            {
                double dot = 0;
                for (int i = 0; i < length; i++) dot += x[i] * vectors[u][i];
                for (int i = 0; i < length; i++) x[i] -= dot * vectors[u][i];
            }
            double norm = Math.Sqrt(x.Sum(e => e * e));
            for (int i = 0; i < length; i++) x[i] /= norm;
        }
        Span<float> w = weight.Span;
        for (int v = 0; v < count; v++)
            for (int i = 0; i < length; i++)
                w[byColumns ? i * columns + v : v * columns + i] = (float)vectors[v][i];
    }

    /// <summary>He for ReLU-family activations, Glorot otherwise.</summary>
    public static void ForActivation(Tensor weight, Activation activation, Rng rng)
    {
        if (activation is Activation.Relu or Activation.LeakyRelu or Activation.Elu) HeUniform(weight, rng);
        else GlorotUniform(weight, rng);
    }

    private static (int FanIn, int FanOut) Fans(Tensor weight)
    {
        if (weight.Rank < 2) throw new ArgumentException($"Initialisers need a weight of rank 2 or more; got shape {Shapes.Format(weight.ShapeArray)}.");
        int receptive = weight.Length / (weight.Dim(0) * weight.Dim(1));   // kernel area for convolutions
        return (weight.Dim(1) * receptive, weight.Dim(0) * receptive);
    }
}
