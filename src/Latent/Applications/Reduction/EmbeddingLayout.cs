using Latent.Engine;

namespace Latent.Applications.Reduction;

/// <summary>
/// UMAP's layout: stochastic gradient descent on the cross-entropy between the neighbour graph's weights and the
/// embedding's similarities 1 / (1 + a·dist^(2b)). Each edge is sampled in proportion to its weight, pulling its two
/// ends together; each sample also pushes its head away from a few rows drawn at random (negative sampling stands in
/// for the repulsion of all non-neighbours). The learning rate falls linearly to 0. Serial, so the same seed gives
/// the same layout on any machine.
/// </summary>
internal static class EmbeddingLayout
{
    private const float GradientClip = 4, RepulsionEpsilon = 0.001f;

    /// <summary>Moves <paramref name="points"/> ([rows, dimensions], the starting layout) to the fitted layout in place.</summary>
    public static void Optimise(float[] points, int dimensions, NeighbourGraph graph, int epochs, int negativeSamples, float a, float b, Rng rng,
        Action<int>? epochEnded, CancellationToken cancel)
    {
        int rows = points.Length / dimensions, edges = graph.Weights.Length;
        float strongest = edges == 0 ? 1 : graph.Weights.Max();
        // An edge of weight w is sampled every strongest / w epochs; those sampled less than once in the run are dropped, as UMAP does.
        var period = new float[edges];
        var nextSample = new float[edges];
        var nextNegative = new float[edges];
        for (int e = 0; e < edges; e++)
        {
            float w = graph.Weights[e];
            period[e] = w >= strongest / epochs ? strongest / w : float.PositiveInfinity;
            nextSample[e] = period[e];
            nextNegative[e] = period[e] / Math.Max(1, negativeSamples);
        }
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            cancel.ThrowIfCancellationRequested();
            float rate = 1f - epoch / (float)epochs;
            for (int e = 0; e < edges; e++)
            {
                if (nextSample[e] > epoch) continue;
                Span<float> head = points.AsSpan(graph.Heads[e] * dimensions, dimensions);
                Span<float> tail = points.AsSpan(graph.Tails[e] * dimensions, dimensions);
                float squared = Squared(head, tail);
                float pull = squared > 0 ? -2 * a * b * MathF.Pow(squared, b - 1) / (a * MathF.Pow(squared, b) + 1) : 0;
                for (int j = 0; j < dimensions; j++)
                {
                    float step = Math.Clamp(pull * (head[j] - tail[j]), -GradientClip, GradientClip) * rate;
                    head[j] += step;
                    tail[j] -= step;
                }
                nextSample[e] += period[e];

                if (negativeSamples == 0) continue;
                float negativePeriod = period[e] / negativeSamples;
                int samples = Math.Max(0, (int)((epoch - nextNegative[e]) / negativePeriod));
                nextNegative[e] += samples * negativePeriod;
                for (int s = 0; s < samples; s++)
                {
                    int other = rng.NextInt(rows);
                    if (other == graph.Heads[e]) continue;
                    Span<float> away = points.AsSpan(other * dimensions, dimensions);
                    squared = Squared(head, away);
                    float push = squared > 0 ? 2 * b / ((RepulsionEpsilon + squared) * (a * MathF.Pow(squared, b) + 1)) : 0;
                    for (int j = 0; j < dimensions; j++)
                        head[j] += (push > 0 ? Math.Clamp(push * (head[j] - away[j]), -GradientClip, GradientClip) : GradientClip) * rate;
                }
            }
            epochEnded?.Invoke(epoch + 1);
        }
    }

    /// <summary>
    /// The a and b of 1 / (1 + a·x^(2b)) that best match (least squares over [0, 3]) UMAP's target similarity: 1 up to
    /// <paramref name="minDistance"/>, then exp(−(x − minDistance)); found by a coarse-to-fine grid search.
    /// </summary>
    public static (float A, float B) CurveFor(float minDistance)
    {
        const int Points = 300;
        double Error(double a, double b)
        {
            double sum = 0;
            for (int i = 1; i <= Points; i++)
            {
                double x = 3.0 * i / Points, target = x < minDistance ? 1 : Math.Exp(-(x - minDistance));
                double fit = 1 / (1 + a * Math.Pow(x, 2 * b)) - target;
                sum += fit * fit;
            }
            return sum;
        }
        double bestA = 1, bestB = 1, spanA = 4, spanB = 1;
        for (int round = 0; round < 8; round++)
        {
            double centreA = bestA, centreB = bestB, best = double.PositiveInfinity;
            for (int i = -10; i <= 10; i++)
                for (int j = -10; j <= 10; j++)
                {
                    double a = centreA + spanA * i / 10, b = centreB + spanB * j / 10;
                    if (a <= 0 || b <= 0) continue;
                    double error = Error(a, b);
                    if (error < best) (best, bestA, bestB) = (error, a, b);
                }
            spanA /= 4;
            spanB /= 4;
        }
        return ((float)bestA, (float)bestB);
    }

    private static float Squared(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        float sum = 0;
        for (int j = 0; j < x.Length; j++) sum += (x[j] - y[j]) * (x[j] - y[j]);
        return sum;
    }
}
