using System.Numerics.Tensors;
using Latent.Engine.Autograd;
using Latent.Engine.Diagnostics;
using Latent.Engine.Kernels.Elementwise;

namespace Latent.Engine.Losses;

/// <summary>
/// Loss functions, each one fused forward and backward kernel. Prediction and target must have the same
/// shape. An optional 0/1 <c>mask</c> of that shape restricts the loss to the cells where it is 1
/// (imputation, ratings); with <see cref="Reduction.Mean"/> the loss is then averaged over those cells only,
/// and an all-zero mask gives a loss of 0.
/// </summary>
public static class Loss
{
    private enum Kind { Squared, Absolute, BceWithLogits }

    /// <summary>Mean squared error: (p − t)².</summary>
    public static Tensor Mse(Tensor prediction, Tensor target, Tensor? mask = null, Reduction reduction = Reduction.Mean) =>
        Pointwise(Kind.Squared, prediction, target, mask, reduction, "Mse");

    /// <summary>Mean absolute error: |p − t|.</summary>
    public static Tensor L1(Tensor prediction, Tensor target, Tensor? mask = null, Reduction reduction = Reduction.Mean) =>
        Pointwise(Kind.Absolute, prediction, target, mask, reduction, "L1");

    /// <summary>
    /// Binary cross-entropy of σ(logits) against targets in [0, 1], computed from the logits without
    /// overflow for any magnitude: max(z, 0) − z·t + log(1 + e^−|z|).
    /// </summary>
    public static Tensor BinaryCrossEntropyWithLogits(Tensor logits, Tensor target, Tensor? mask = null,
        Reduction reduction = Reduction.Mean) =>
        Pointwise(Kind.BceWithLogits, logits, target, mask, reduction, "BinaryCrossEntropyWithLogits");

    private static Tensor Pointwise(Kind kind, Tensor p, Tensor t, Tensor? mask, Reduction reduction, string name)
    {
        using var profile = StepProfiler.Measure(WorkKind.Loss);
        if (!Shapes.Equal(p.ShapeArray, t.ShapeArray)) throw Shapes.Mismatch($"{name} (prediction, target)", p.ShapeArray, t.ShapeArray);
        if (mask is not null && !Shapes.Equal(p.ShapeArray, mask.ShapeArray))
            throw Shapes.Mismatch($"{name} (prediction, mask)", p.ShapeArray, mask.ShapeArray);

        float total = kind == Kind.Squared && mask is null ? SquaredDistance(p.Span, t.Span) : Sum(kind, p, t, mask);
        float scale = Scale(reduction, p, mask);
        var y = Tensor.Scalar(total * scale);
        bool record = GradMode.IsEnabled && (p.TracksGrad || t.TracksGrad);
        return GradFn.Record(y, record ? new PointwiseGrad(kind, p, t, mask, scale) : null);
    }

    /// <summary>Σ (p − t)² in one pass without a buffer (the squared Euclidean distance).</summary>
    private static float SquaredDistance(ReadOnlySpan<float> p, ReadOnlySpan<float> t)
    {
        float distance = TensorPrimitives.Distance(p, t);
        return distance * distance;
    }

    /// <summary>Σ ℓ(p, t) (masked) through a buffer of the point-wise values.</summary>
    private static float Sum(Kind kind, Tensor p, Tensor t, Tensor? mask)
    {
        float[] buffer = TensorPool.Rent(p.Length);
        Span<float> values = buffer.AsSpan(0, p.Length);
        switch (kind)
        {
            case Kind.Squared:
                TensorPrimitives.Subtract(p.Span, t.Span, values);
                TensorPrimitives.Multiply(values, values, values);
                break;
            case Kind.Absolute:
                TensorPrimitives.Subtract(p.Span, t.Span, values);
                TensorPrimitives.Abs(values, values);
                break;
            default:
                ElementwiseDriver.Map(new BceWithLogitsOp(), p.Span, t.Span, values);
                break;
        }
        if (mask is not null) TensorPrimitives.Multiply(values, mask.Span, values);
        float total = TensorPrimitives.Sum(values);
        TensorPool.Return(buffer);
        return total;
    }

    /// <summary>The factor that turns the sum into the requested reduction.</summary>
    private static float Scale(Reduction reduction, Tensor p, Tensor? mask) => reduction switch
    {
        Reduction.Sum => 1f,
        Reduction.BatchMean => p.Rank == 0 || p.Dim(0) == 0 ? 0f : 1f / p.Dim(0),
        _ => mask is null
            ? (p.Length == 0 ? 0f : 1f / p.Length)
            : TensorPrimitives.Sum(mask.Span) is var count && count > 0 ? 1f / count : 0f,
    };

    private sealed class PointwiseGrad(Kind kind, Tensor p, Tensor t, Tensor? mask, float scale) : GradFn(p, t)
    {
        public override void Backward(Tensor output, ReadOnlySpan<float> g)
        {
            using var profile = StepProfiler.Measure(WorkKind.Loss);
            float s = g[0] * scale;
            if (p.TracksGrad)
            {
                using var w = GradWriter.For(p);
                Derivative(w.Target, s);
            }
            if (t.TracksGrad)
            {
                using var w = GradWriter.For(t);
                if (kind == Kind.BceWithLogits) TensorPrimitives.Multiply(p.Span, -s, w.Target);   // dℓ/dt = −z
                else Derivative(w.Target, -s);                                                     // symmetric in p − t
                if (mask is not null) TensorPrimitives.Multiply(w.Target, mask.Span, w.Target);
            }
        }

        /// <summary>d = s · dℓ/dp (masked).</summary>
        private void Derivative(Span<float> d, float s)
        {
            switch (kind)
            {
                case Kind.Squared:
                    ElementwiseDriver.Map(new ScaledDifferenceOp(2f * s), p.Span, t.Span, d);
                    break;
                case Kind.Absolute:
                    TensorPrimitives.Subtract(p.Span, t.Span, d);
                    for (int i = 0; i < d.Length; i++) d[i] = d[i] > 0 ? s : d[i] < 0 ? -s : 0f;
                    break;
                default:
                    ElementwiseDriver.Map(new BceWithLogitsGradOp(s), p.Span, t.Span, d);
                    break;
            }
            if (mask is not null) TensorPrimitives.Multiply(d, mask.Span, d);
        }
    }

    /// <summary>
    /// Cross-entropy of softmax(logits) against class labels: the mean over rows of −log softmax(z)[label].
    /// logits: [batch, classes]; labels: one class index per row.
    /// </summary>
    public static Tensor CrossEntropy(Tensor logits, ReadOnlySpan<int> labels)
    {
        using var profile = StepProfiler.Measure(WorkKind.Loss);
        if (logits.Rank != 2) throw new ArgumentException($"CrossEntropy expects logits [batch, classes]; got {Shapes.Format(logits.ShapeArray)}.");
        int batch = logits.Dim(0), classes = logits.Dim(1);
        if (labels.Length != batch) throw new ArgumentException($"CrossEntropy: {labels.Length} labels for {batch} rows of logits.");
        foreach (int label in labels)
            if ((uint)label >= (uint)classes) throw new ArgumentException($"CrossEntropy: label {label} is outside 0..{classes - 1}.");
        Tensor logProbabilities = Ops.LogSoftmax(logits);
        ReadOnlySpan<float> lp = logProbabilities.Span;
        double total = 0;
        for (int i = 0; i < batch; i++) total -= lp[i * classes + labels[i]];
        var y = Tensor.Scalar(batch == 0 ? 0f : (float)(total / batch));
        return GradFn.Record(y, GradFn.Needed(logProbabilities) ? new NllGrad(logProbabilities, labels.ToArray()) : null);
    }

    private sealed class NllGrad(Tensor logProbabilities, int[] labels) : GradFn(logProbabilities)
    {
        public override void Backward(Tensor output, ReadOnlySpan<float> g)
        {
            using var profile = StepProfiler.Measure(WorkKind.Loss);
            using var w = GradWriter.For(logProbabilities);
            Span<float> d = w.Target;
            d.Clear();
            int classes = logProbabilities.Dim(1);
            for (int i = 0; i < labels.Length; i++) d[i * classes + labels[i]] = -g[0] / labels.Length;
        }
    }

    /// <summary>
    /// KL divergence of the diagonal Gaussian N(μ, e^logVar) from N(0, I):
    /// −½ Σ (1 + logVar − μ² − e^logVar), summed over the code and, by default, averaged over the batch
    /// (<see cref="Reduction.BatchMean"/>; <see cref="Reduction.Mean"/> averages over every element).
    /// mean, logVariance: [batch, latent].
    /// </summary>
    public static Tensor GaussianKl(Tensor mean, Tensor logVariance, Reduction reduction = Reduction.BatchMean)
    {
        using var profile = StepProfiler.Measure(WorkKind.Loss);
        if (!Shapes.Equal(mean.ShapeArray, logVariance.ShapeArray)) throw Shapes.Mismatch("GaussianKl (mean, logVariance)", mean.ShapeArray, logVariance.ShapeArray);
        ReadOnlySpan<float> mu = mean.Span, lv = logVariance.Span;
        double total = 0;
        for (int i = 0; i < mu.Length; i++) total += -0.5 * (1 + lv[i] - (double)mu[i] * mu[i] - Math.Exp(lv[i]));
        float scale = Scale(reduction, mean, null);
        var y = Tensor.Scalar((float)(total * scale));
        return GradFn.Record(y, GradFn.Needed(mean, logVariance) ? new KlGrad(mean, logVariance, scale) : null);
    }

    private sealed class KlGrad(Tensor mean, Tensor logVariance, float scale) : GradFn(mean, logVariance)
    {
        public override void Backward(Tensor output, ReadOnlySpan<float> g)
        {
            using var profile = StepProfiler.Measure(WorkKind.Loss);
            float s = g[0] * scale;
            if (mean.TracksGrad)
            {
                using var w = GradWriter.For(mean);
                TensorPrimitives.Multiply(mean.Span, s, w.Target);                   // dKL/dμ = μ
            }
            if (logVariance.TracksGrad)
            {
                using var w = GradWriter.For(logVariance);
                TensorPrimitives.Exp(logVariance.Span, w.Target);                   // dKL/dlogVar = ½(e^logVar − 1)
                TensorPrimitives.Subtract(w.Target, 1f, w.Target);
                TensorPrimitives.Multiply(w.Target, 0.5f * s, w.Target);
            }
        }
    }
}
