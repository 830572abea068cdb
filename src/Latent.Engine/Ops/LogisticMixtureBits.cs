using Latent.Engine.Autograd;
using Latent.Engine.Diagnostics;

namespace Latent.Engine;

public static partial class Ops
{
    /// <summary>
    /// The bits needed to code integer-quantised values under a learned density per channel (the rate term of a learned
    /// codec): −Σ log₂ P(y) with P(y) = Σ_k π_k·[σ((y + ½ − μ_k)/s_k) − σ((y − ½ − μ_k)/s_k)], the mass a mixture of K
    /// logistics puts on [y − ½, y + ½], floored at <paramref name="minLikelihood"/> (whose gradient is then zero).
    /// y: [batch, channels, h, w] (noisy or rounded values); means, logScales (log s), logits (softmax gives π):
    /// [channels, K]. Returns a scalar. Channels are summed in order, so the result does not depend on the thread count.
    /// </summary>
    /// <exception cref="ArgumentException">Shapes that do not fit together.</exception>
    public static Tensor LogisticMixtureBits(Tensor y, Tensor means, Tensor logScales, Tensor logits, float minLikelihood = 1e-9f)
    {
        using var profile = StepProfiler.Measure(WorkKind.Elementwise);
        if (y.Rank != 4 || means.Rank != 2 || means.Dim(0) != y.Dim(1) || !logScales.ShapeArray.SequenceEqual(means.ShapeArray)
            || !logits.ShapeArray.SequenceEqual(means.ShapeArray))
            throw new ArgumentException(
                $"LogisticMixtureBits: y {Shapes.Format(y.ShapeArray)} needs means, log-scales and logits [channels, components] with channels = y's dimension 1; " +
                $"got {Shapes.Format(means.ShapeArray)}, {Shapes.Format(logScales.ShapeArray)}, {Shapes.Format(logits.ShapeArray)}.");
        var mixture = new MixtureShape(y.Dim(0), y.Dim(1), y.Dim(2) * y.Dim(3), means.Dim(1), minLikelihood);
        bool grad = GradFn.Needed(y, means) || GradFn.Needed(logScales, logits);
        var perChannel = new double[mixture.Channels];
        float[]? dy = grad ? new float[y.Length] : null;
        double[]? dParameters = grad ? new double[3 * means.Length] : null;
        float[] m = means.ToArray(), ls = logScales.ToArray(), lg = logits.ToArray();
        float[] yv = y.ToArray();
        Parallel.For(0, mixture.Channels, c => perChannel[c] = mixture.Channel(c, yv, m, ls, lg, dy, dParameters));
        double total = 0;
        foreach (double bits in perChannel) total += bits;
        var output = Tensor.Scalar((float)total);
        return GradFn.Record(output, grad ? new MixtureBitsGrad(y, means, logScales, logits, dy!, dParameters!) : null);
    }

    private readonly record struct MixtureShape(int Batch, int Channels, int Pixels, int Components, float MinLikelihood)
    {
        private static readonly double InverseLn2 = 1 / Math.Log(2);

        /// <summary>The bits of channel c; with gradient buffers, also d(bits)/dy for its values and d(bits)/d(its parameters).</summary>
        public double Channel(int c, float[] y, float[] means, float[] logScales, float[] logits, float[]? dy, double[]? dParameters)
        {
            int k = Components, at = c * k;
            Span<double> mu = stackalloc double[k], inverseScale = stackalloc double[k], weight = stackalloc double[k];
            Span<double> gMu = stackalloc double[k], gLogScale = stackalloc double[k], gLogit = stackalloc double[k];
            Span<double> mass = stackalloc double[k];
            double max = double.NegativeInfinity, sum = 0;
            for (int j = 0; j < k; j++) max = Math.Max(max, logits[at + j]);
            for (int j = 0; j < k; j++)
            {
                mu[j] = means[at + j];
                inverseScale[j] = Math.Exp(-logScales[at + j]);
                weight[j] = Math.Exp(logits[at + j] - max);
                sum += weight[j];
            }
            for (int j = 0; j < k; j++) weight[j] /= sum;
            gMu.Clear();
            gLogScale.Clear();
            gLogit.Clear();
            double bits = 0;
            for (int b = 0; b < Batch; b++)
            {
                int start = (b * Channels + c) * Pixels;
                for (int p = start; p < start + Pixels; p++)
                {
                    double v = y[p], likelihood = 0, dLikelihood = 0;
                    for (int j = 0; j < k; j++)
                    {
                        double upper = (v + 0.5 - mu[j]) * inverseScale[j], lower = (v - 0.5 - mu[j]) * inverseScale[j];
                        // σ(u) − σ(l) loses its digits when both are near 1; the mirror image σ(−l) − σ(−u) keeps them.
                        mass[j] = lower > 0 ? Sigmoid(-lower) - Sigmoid(-upper) : Sigmoid(upper) - Sigmoid(lower);
                        likelihood += weight[j] * mass[j];
                        if (dy is null) continue;
                        double du = SigmoidSlope(upper), dl = SigmoidSlope(lower);
                        dLikelihood += weight[j] * (du - dl) * inverseScale[j];
                    }
                    if (likelihood < MinLikelihood)
                    {
                        bits -= Math.Log2(MinLikelihood);
                        if (dy is not null) dy[p] = 0;
                        continue;
                    }
                    bits -= Math.Log2(likelihood);
                    if (dy is null) continue;
                    double dBits = -InverseLn2 / likelihood;   // d(−log₂ P)/dP
                    dy[p] = (float)(dBits * dLikelihood);
                    for (int j = 0; j < k; j++)
                    {
                        double upper = (v + 0.5 - mu[j]) * inverseScale[j], lower = (v - 0.5 - mu[j]) * inverseScale[j];
                        double du = SigmoidSlope(upper), dl = SigmoidSlope(lower);
                        gMu[j] -= dBits * weight[j] * (du - dl) * inverseScale[j];
                        gLogScale[j] -= dBits * weight[j] * (du * upper - dl * lower);
                        gLogit[j] += dBits * weight[j] * (mass[j] - likelihood);
                    }
                }
            }
            if (dParameters is not null)
                for (int j = 0; j < k; j++)
                {
                    dParameters[at + j] = gMu[j];
                    dParameters[Channels * k + at + j] = gLogScale[j];
                    dParameters[2 * Channels * k + at + j] = gLogit[j];
                }
            return bits;
        }

        private static double Sigmoid(double x) => x >= 0 ? 1 / (1 + Math.Exp(-x)) : Math.Exp(x) / (1 + Math.Exp(x));

        private static double SigmoidSlope(double x) => Sigmoid(x) * Sigmoid(-x);
    }

    private sealed class MixtureBitsGrad(Tensor y, Tensor means, Tensor logScales, Tensor logits, float[] dy, double[] dParameters)
        : GradFn(y, means, logScales, logits)
    {
        public override void Backward(Tensor output, ReadOnlySpan<float> gradOutput)
        {
            float g = gradOutput[0];
            if (y.TracksGrad)
            {
                using var w = GradWriter.For(y);
                for (int i = 0; i < dy.Length; i++) w.Target[i] = g * dy[i];
            }
            Tensor[] parameters = [means, logScales, logits];
            for (int t = 0; t < parameters.Length; t++)
            {
                if (!parameters[t].TracksGrad) continue;
                using var w = GradWriter.For(parameters[t]);
                int n = parameters[t].Length;
                for (int i = 0; i < n; i++) w.Target[i] = (float)(g * dParameters[t * n + i]);
            }
        }
    }
}
