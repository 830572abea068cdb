using Latent.Engine;

namespace Latent.Engine.Tests;

/// <summary>
/// Checks analytic gradients against central finite differences. The scalar checked is L = Σ yᵢ·rᵢ for
/// fixed random weights r, evaluated in double from the float32 outputs, so only the outputs that depend on
/// the perturbed input change between the two evaluations and the rest cancel exactly.
/// Tolerance: with ε = 1e-2 the truncation error (ε²/6·f‴) is ~1e-5 for the smooth ops here, and float32
/// rounding of the affected outputs (a few ulps, ~1e-6 relative) divided by 2ε adds ~1e-4 relative;
/// 1e-2 relative (plus 1e-3 absolute) is far above both yet far below any real error (wrong factor or sign).
/// </summary>
internal static class GradCheck
{
    private const float Epsilon = 1e-2f;
    private const double RelativeTolerance = 1e-2, AbsoluteTolerance = 1e-3;

    /// <summary>Checks up to <paramref name="samplesPerInput"/> coordinates of every input's gradient.</summary>
    public static void Check(Func<Tensor[], Tensor> f, Tensor[] inputs, int samplesPerInput = 24, ulong seed = 7)
    {
        foreach (Tensor x in inputs) x.RequiresGrad = true;
        var rng = new Rng(seed);
        Tensor y0;
        using (Tensor.NoGrad()) y0 = f(inputs);
        var weights = new float[y0.Length];
        rng.FillUniform(weights, -1f, 1f);

        Tensor y = f(inputs);
        Tensor loss = Ops.Sum(y * Tensor.FromArray(weights, [.. y.Shape]));
        loss.Backward();

        foreach (Tensor x in inputs)
        {
            Assert.NotNull(x.Grad);
            float[] analytic = x.Grad!.ToArray();
            Span<float> xs = x.Span;
            int samples = Math.Min(samplesPerInput, x.Length);
            for (int s = 0; s < samples; s++)
            {
                int j = samples == x.Length ? s : rng.NextInt(x.Length);
                float original = xs[j];
                xs[j] = original + Epsilon;
                double plus = Evaluate(f, inputs, weights);
                xs[j] = original - Epsilon;
                double minus = Evaluate(f, inputs, weights);
                xs[j] = original;
                double numeric = (plus - minus) / (2 * (double)Epsilon);
                double error = Math.Abs(numeric - analytic[j]);
                Assert.True(error <= AbsoluteTolerance + RelativeTolerance * Math.Max(Math.Abs(numeric), Math.Abs(analytic[j])),
                    $"gradient of input {Array.IndexOf(inputs, x)} [{string.Join(",", x.Shape)}] at {j}: analytic {analytic[j]}, numeric {numeric}");
            }
        }
    }

    private static double Evaluate(Func<Tensor[], Tensor> f, Tensor[] inputs, float[] weights)
    {
        using (Tensor.NoGrad())
        {
            Tensor y = f(inputs);
            ReadOnlySpan<float> ys = y.Span;
            double sum = 0;
            for (int i = 0; i < ys.Length; i++) sum += (double)ys[i] * weights[i];
            return sum;
        }
    }

    /// <summary>Uniform values in [low, high) whose magnitude is at least <paramref name="awayFromZero"/> (away from kinks).</summary>
    public static Tensor Random(ulong seed, float low, float high, float awayFromZero, params int[] shape)
    {
        var rng = new Rng(seed);
        var t = Tensor.Uniform(rng, low, high, shape);
        Span<float> s = t.Span;
        for (int i = 0; i < s.Length; i++)
            if (MathF.Abs(s[i]) < awayFromZero) s[i] = s[i] < 0 ? s[i] - awayFromZero : s[i] + awayFromZero;
        return t;
    }

    public static Tensor Random(ulong seed, params int[] shape) => Random(seed, -1f, 1f, 0f, shape);
}
