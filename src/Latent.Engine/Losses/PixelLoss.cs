using System.Numerics.Tensors;
using Latent.Engine.Autograd;
using Latent.Engine.Diagnostics;

namespace Latent.Engine.Losses;

/// <summary>
/// Losses of per-pixel classification on channel-first images (segmentation, colour bins): logits
/// [batch, classes, height, width] with the class distribution of each pixel along axis 1, and targets of the same
/// shape holding, at each pixel, a distribution over the classes (one-hot for a hard label). The softmax over classes
/// is part of each loss, computed stably from the logits. No gradient flows into the targets or the weights.
/// <code>
/// Tensor loss = PixelLoss.CrossEntropy(logits, oneHot) + PixelLoss.Dice(logits, oneHot);   // logits: [8, 3, 64, 64]
/// </code>
/// </summary>
public static class PixelLoss
{
    /// <summary>
    /// Cross-entropy of softmax(logits) against the targets, weighted per pixel and averaged over all pixels:
    /// (1 / pixels) Σ_pixels w · (−Σ_c t_c · log softmax(z)_c). weights: [batch, height, width] or null (all 1), e.g.
    /// Zhang et al.'s class rebalancing. Targets need not sum to 1 (the gradient is w · (softmax·Σt − t)).
    /// </summary>
    /// <exception cref="ArgumentException">The logits are not [batch, classes, height, width], or the targets or weights do not match them.</exception>
    public static Tensor CrossEntropy(Tensor logits, Tensor targets, Tensor? weights = null)
    {
        using var profile = StepProfiler.Measure(WorkKind.Loss);
        var (batch, classes, plane) = Check("CrossEntropy", logits, targets);
        if (weights is not null && (weights.Rank != 3 || weights.Dim(0) != batch || weights.Dim(1) != logits.Dim(2) || weights.Dim(2) != logits.Dim(3)))
            throw new ArgumentException($"PixelLoss.CrossEntropy: weights {Shapes.Format(weights.ShapeArray)} do not match logits {Shapes.Format(logits.ShapeArray)}; expected [batch, height, width].");
        var logSumExp = Tensor.Uninitialized([batch, plane]);
        float[] scratch = TensorPool.Rent(2 * plane);
        Span<float> tmp = scratch.AsSpan(0, plane), perPixel = scratch.AsSpan(plane, plane);
        ReadOnlySpan<float> z = logits.Span, t = targets.Span;
        double total = 0;
        for (int n = 0; n < batch; n++)
        {
            int image = n * classes * plane;
            Span<float> lse = logSumExp.Span.Slice(n * plane, plane);
            LogSumExp(z.Slice(image, classes * plane), classes, plane, lse, tmp);
            // −Σ_c t_c (z_c − lse) per pixel.
            perPixel.Clear();
            for (int c = 0; c < classes; c++)
            {
                TensorPrimitives.Subtract(lse, z.Slice(image + c * plane, plane), tmp);
                TensorPrimitives.MultiplyAdd(tmp, t.Slice(image + c * plane, plane), perPixel, perPixel);
            }
            if (weights is not null) TensorPrimitives.Multiply(perPixel, weights.Span.Slice(n * plane, plane), perPixel);
            total += TensorPrimitives.Sum(perPixel);
        }
        TensorPool.Return(scratch);
        int pixels = batch * plane;
        var y = Tensor.Scalar(pixels == 0 ? 0f : (float)(total / pixels));
        if (!GradFn.Needed(logits))
        {
            logSumExp.Dispose();
            return y;
        }
        return GradFn.Record(y, new CrossEntropyGrad(logits, targets, weights, logSumExp));
    }

    private sealed class CrossEntropyGrad(Tensor logits, Tensor targets, Tensor? weights, Tensor logSumExp) : GradFn(logits)
    {
        public override void Backward(Tensor output, ReadOnlySpan<float> g)
        {
            using var profile = StepProfiler.Measure(WorkKind.Loss);
            int batch = logits.Dim(0), classes = logits.Dim(1), plane = logits.Dim(2) * logits.Dim(3);
            float scale = batch * plane == 0 ? 0f : g[0] / (batch * plane);
            float[] scratch = TensorPool.Rent(2 * plane);
            Span<float> targetSum = scratch.AsSpan(0, plane), factor = scratch.AsSpan(plane, plane);
            using var w = GradWriter.For(logits);
            Span<float> d = w.Target;
            ReadOnlySpan<float> z = logits.Span, t = targets.Span;
            for (int n = 0; n < batch; n++)
            {
                int image = n * classes * plane;
                ReadOnlySpan<float> lse = logSumExp.Span.Slice(n * plane, plane);
                // factor = scale · w per pixel; targetSum = Σ_c t_c
                if (weights is null) factor.Fill(scale);
                else TensorPrimitives.Multiply(weights.Span.Slice(n * plane, plane), scale, factor);
                targetSum.Clear();
                for (int c = 0; c < classes; c++) TensorPrimitives.Add(targetSum, t.Slice(image + c * plane, plane), targetSum);
                for (int c = 0; c < classes; c++)
                {
                    Span<float> dc = d.Slice(image + c * plane, plane);
                    TensorPrimitives.Subtract(z.Slice(image + c * plane, plane), lse, dc);
                    TensorPrimitives.Exp(dc, dc);                                                     // softmax_c
                    TensorPrimitives.Multiply(dc, targetSum, dc);
                    TensorPrimitives.Subtract(dc, t.Slice(image + c * plane, plane), dc);
                    TensorPrimitives.Multiply(dc, factor, dc);
                }
            }
            TensorPool.Return(scratch);
        }

        public override void ReleaseSaved() => logSumExp.Dispose();
    }

    /// <summary>
    /// Soft Dice loss 1 − mean_c (2·Σ p_c·t_c + s) / (Σ p_c + Σ t_c + s), with p = softmax(logits) over classes, the sums
    /// over the whole batch (every pixel of every image) and smoothing s (1 by default, so that a class absent from both
    /// prediction and target counts as perfect rather than 0/0). Complements cross-entropy on small foreground classes.
    /// </summary>
    /// <exception cref="ArgumentException">The logits are not [batch, classes, height, width], or the targets do not match them.</exception>
    public static Tensor Dice(Tensor logits, Tensor targets, float smoothing = 1f)
    {
        using var profile = StepProfiler.Measure(WorkKind.Loss);
        var (batch, classes, plane) = Check("Dice", logits, targets);
        if (!(smoothing >= 0)) throw new ArgumentException($"PixelLoss.Dice: the smoothing must be zero or positive, not {smoothing}.");
        Tensor p = Softmax(logits, batch, classes, plane);
        var overlap = new double[classes];
        var total = new double[classes];   // Σ p_c + Σ t_c + s
        ReadOnlySpan<float> ps = p.Span, t = targets.Span;
        for (int n = 0; n < batch; n++)
            for (int c = 0; c < classes; c++)
            {
                int at = (n * classes + c) * plane;
                overlap[c] += TensorPrimitives.Dot(ps.Slice(at, plane), t.Slice(at, plane));
                total[c] += TensorPrimitives.Sum(ps.Slice(at, plane)) + TensorPrimitives.Sum(t.Slice(at, plane));
            }
        var dice = new double[classes];
        double loss = 1;
        for (int c = 0; c < classes; c++)
        {
            total[c] += smoothing;
            dice[c] = total[c] == 0 ? 1 : (2 * overlap[c] + smoothing) / total[c];
            loss -= dice[c] / classes;
        }
        var y = Tensor.Scalar((float)loss);
        if (!GradFn.Needed(logits))
        {
            p.Dispose();
            return y;
        }
        return GradFn.Record(y, new DiceGrad(logits, targets, p, dice, total));
    }

    private sealed class DiceGrad(Tensor logits, Tensor targets, Tensor p, double[] dice, double[] total) : GradFn(logits)
    {
        public override void Backward(Tensor output, ReadOnlySpan<float> g)
        {
            using var profile = StepProfiler.Measure(WorkKind.Loss);
            int batch = logits.Dim(0), classes = logits.Dim(1), plane = logits.Dim(2) * logits.Dim(3);
            float[] scratch = TensorPool.Rent(plane);
            Span<float> weighted = scratch.AsSpan(0, plane);   // Σ_k p_k · dL/dp_k per pixel
            using var w = GradWriter.For(logits);
            Span<float> d = w.Target;
            ReadOnlySpan<float> ps = p.Span, t = targets.Span;
            for (int n = 0; n < batch; n++)
            {
                // dL/dp_c = −(2·t_c − D_c) / (C · total_c), written into d first.
                for (int c = 0; c < classes; c++)
                {
                    int at = (n * classes + c) * plane;
                    double scale = total[c] == 0 ? 0 : g[0] / (classes * total[c]);   // a class absent everywhere with s = 0 stays put
                    float a = (float)(-2 * scale), b = (float)(scale * dice[c]);
                    TensorPrimitives.Multiply(t.Slice(at, plane), a, d.Slice(at, plane));
                    TensorPrimitives.Add(d.Slice(at, plane), b, d.Slice(at, plane));
                }
                // Through the softmax: dz_c = p_c · (dp_c − Σ_k p_k dp_k).
                weighted.Clear();
                for (int c = 0; c < classes; c++)
                {
                    int at = (n * classes + c) * plane;
                    TensorPrimitives.MultiplyAdd(ps.Slice(at, plane), d.Slice(at, plane), weighted, weighted);
                }
                for (int c = 0; c < classes; c++)
                {
                    Span<float> dc = d.Slice((n * classes + c) * plane, plane);
                    TensorPrimitives.Subtract(dc, weighted, dc);
                    TensorPrimitives.Multiply(dc, ps.Slice((n * classes + c) * plane, plane), dc);
                }
            }
            TensorPool.Return(scratch);
        }

        public override void ReleaseSaved() => p.Dispose();
    }

    /// <summary>softmax over the class axis of every pixel, without a graph.</summary>
    private static Tensor Softmax(Tensor logits, int batch, int classes, int plane)
    {
        var p = Tensor.UninitializedLike(logits);
        float[] scratch = TensorPool.Rent(2 * plane);
        Span<float> lse = scratch.AsSpan(0, plane), tmp = scratch.AsSpan(plane, plane);
        for (int n = 0; n < batch; n++)
        {
            int image = n * classes * plane;
            LogSumExp(logits.Span.Slice(image, classes * plane), classes, plane, lse, tmp);
            for (int c = 0; c < classes; c++)
            {
                Span<float> pc = p.Span.Slice(image + c * plane, plane);
                TensorPrimitives.Subtract(logits.Span.Slice(image + c * plane, plane), lse, pc);
                TensorPrimitives.Exp(pc, pc);
            }
        }
        TensorPool.Return(scratch);
        return p;
    }

    /// <summary>log Σ_c exp(z_c) of every pixel of one image (classes planes of <paramref name="plane"/> values), stably.</summary>
    private static void LogSumExp(ReadOnlySpan<float> z, int classes, int plane, Span<float> lse, Span<float> tmp)
    {
        z[..plane].CopyTo(lse);
        for (int c = 1; c < classes; c++) TensorPrimitives.Max(lse, z.Slice(c * plane, plane), lse);
        Span<float> sum = tmp;
        sum.Clear();
        float[] scratch = TensorPool.Rent(plane);
        Span<float> e = scratch.AsSpan(0, plane);
        for (int c = 0; c < classes; c++)
        {
            TensorPrimitives.Subtract(z.Slice(c * plane, plane), lse, e);
            TensorPrimitives.Exp(e, e);
            TensorPrimitives.Add(sum, e, sum);
        }
        TensorPool.Return(scratch);
        TensorPrimitives.Log(sum, sum);
        TensorPrimitives.Add(lse, sum, lse);
    }

    private static (int Batch, int Classes, int Plane) Check(string name, Tensor logits, Tensor targets)
    {
        if (logits.Rank != 4 || logits.Dim(1) == 0)
            throw new ArgumentException($"PixelLoss.{name} expects logits [batch, classes, height, width]; got {Shapes.Format(logits.ShapeArray)}.");
        if (!Shapes.Equal(logits.ShapeArray, targets.ShapeArray)) throw Shapes.Mismatch($"PixelLoss.{name} (logits, targets)", logits.ShapeArray, targets.ShapeArray);
        return (logits.Dim(0), logits.Dim(1), logits.Dim(2) * logits.Dim(3));
    }
}
