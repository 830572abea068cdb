using Latent.Engine.Autograd;
using Latent.Engine.Diagnostics;

namespace Latent.Engine;

public static partial class Ops
{
    /// <summary>
    /// Batch normalisation per channel (axis 1), over every other axis: y = (x − μ_c) / √(σ²_c + ε) · γ_c + β_c.
    /// In training, μ and σ² are the batch's mean and biased variance, and the running estimates are updated in place:
    /// r ← (1 − momentum)·r + momentum·batch value (the variance unbiased, ·M/(M − 1), as PyTorch does). Otherwise the
    /// running estimates are used. input: [batch, channels, ...]; gamma, beta, runningMean, runningVar: [channels]
    /// (gamma and beta may be null: no affine step).
    /// <code>
    /// Tensor y = Ops.BatchNorm(x, gamma, beta, mean, var, training: true);   // x: [32, 16, 14, 14]
    /// </code>
    /// </summary>
    /// <exception cref="ArgumentException">Shapes do not match, or training with one value per channel.</exception>
    public static Tensor BatchNorm(Tensor input, Tensor? gamma, Tensor? beta, Tensor runningMean, Tensor runningVar, bool training,
        float momentum = 0.1f, float epsilon = 1e-5f)
    {
        using var profile = StepProfiler.Measure(WorkKind.Elementwise);
        if (input.Rank < 2)
            throw new ArgumentException($"BatchNorm expects input [batch, channels, ...]; got {Shapes.Format(input.ShapeArray)}.");
        int channels = input.Dim(1), batch = input.Dim(0), inner = input.Length / Math.Max(1, batch * channels);
        foreach (Tensor? t in new[] { gamma, beta, runningMean, runningVar })
            if (t is not null && (t.Rank != 1 || t.Dim(0) != channels))
                throw new ArgumentException($"BatchNorm: input {Shapes.Format(input.ShapeArray)} needs per-channel tensors of shape [{channels}]; got {Shapes.Format(t.ShapeArray)}.");
        long count = (long)batch * inner;
        if (training && count < 2)
            throw new ArgumentException($"BatchNorm needs more than one value per channel in training mode; input {Shapes.Format(input.ShapeArray)} has {count}.");

        // statistics[c] = mean, statistics[channels + c] = 1/√(variance + ε)
        float[] statistics = TensorPool.Rent(2 * channels);
        ReadOnlySpan<float> x = input.Span;
        for (int c = 0; c < channels; c++)
        {
            float mean, variance;
            if (training)
            {
                double sum = 0;
                for (int n = 0; n < batch; n++) sum += System.Numerics.Tensors.TensorPrimitives.Sum(x.Slice((n * channels + c) * inner, inner));
                mean = (float)(sum / count);
                double squares = 0;
                for (int n = 0; n < batch; n++)
                    foreach (float v in x.Slice((n * channels + c) * inner, inner)) squares += (double)(v - mean) * (v - mean);
                variance = (float)(squares / count);
                runningMean.Span[c] = (1 - momentum) * runningMean.Span[c] + momentum * mean;
                runningVar.Span[c] = (1 - momentum) * runningVar.Span[c] + momentum * (float)(squares / (count - 1));
            }
            else
            {
                (mean, variance) = (runningMean.Span[c], runningVar.Span[c]);
            }
            statistics[c] = mean;
            statistics[channels + c] = 1f / MathF.Sqrt(variance + epsilon);
        }

        var y = Tensor.UninitializedLike(input);
        Span<float> ys = y.Span;
        for (int c = 0; c < channels; c++)
        {
            float scale = statistics[channels + c] * (gamma?.Span[c] ?? 1f);
            float shift = (beta?.Span[c] ?? 0f) - statistics[c] * scale;
            for (int n = 0; n < batch; n++)
            {
                int offset = (n * channels + c) * inner;
                Span<float> target = ys.Slice(offset, inner);
                System.Numerics.Tensors.TensorPrimitives.Multiply(x.Slice(offset, inner), scale, target);
                System.Numerics.Tensors.TensorPrimitives.Add(target, shift, target);
            }
        }
        bool record = GradMode.IsEnabled && (input.TracksGrad || (gamma?.TracksGrad ?? false) || (beta?.TracksGrad ?? false));
        if (!record)
        {
            TensorPool.Return(statistics);
            return y;
        }
        return GradFn.Record(y, new BatchNormGrad(input, gamma, beta, statistics, training));
    }

    private sealed class BatchNormGrad(Tensor x, Tensor? gamma, Tensor? beta, float[] statistics, bool training)
        : GradFn(new[] { x, gamma, beta }.OfType<Tensor>().ToArray())
    {
        private float[]? _statistics = statistics;

        public override void Backward(Tensor output, ReadOnlySpan<float> g)
        {
            int channels = x.Dim(1), batch = x.Dim(0), inner = x.Length / Math.Max(1, batch * channels);
            float[] stats = _statistics!;
            float count = (float)batch * inner;
            ReadOnlySpan<float> xs = x.Span;
            float[] sums = TensorPool.Rent(2 * channels);   // Σ g and Σ g·x̂ per channel
            for (int c = 0; c < channels; c++)
            {
                float mean = stats[c], invStd = stats[channels + c];
                double sg = 0, sgx = 0;
                for (int n = 0; n < batch; n++)
                {
                    int offset = (n * channels + c) * inner;
                    for (int i = offset; i < offset + inner; i++)
                    {
                        sg += g[i];
                        sgx += g[i] * (xs[i] - mean) * invStd;
                    }
                }
                sums[c] = (float)sg;
                sums[channels + c] = (float)sgx;
            }
            if (x.TracksGrad)
            {
                using var w = GradWriter.For(x);
                Span<float> dx = w.Target;
                for (int c = 0; c < channels; c++)
                {
                    float mean = stats[c], invStd = stats[channels + c], scale = invStd * (gamma?.Span[c] ?? 1f);
                    float meanG = training ? sums[c] / count : 0f, meanGx = training ? sums[channels + c] / count : 0f;
                    for (int n = 0; n < batch; n++)
                    {
                        int offset = (n * channels + c) * inner;
                        for (int i = offset; i < offset + inner; i++)
                            dx[i] = scale * (g[i] - meanG - (xs[i] - mean) * invStd * meanGx);
                    }
                }
            }
            if (gamma is not null && gamma.TracksGrad)
            {
                using var w = GradWriter.For(gamma);
                sums.AsSpan(channels, channels).CopyTo(w.Target);
            }
            if (beta is not null && beta.TracksGrad)
            {
                using var w = GradWriter.For(beta);
                sums.AsSpan(0, channels).CopyTo(w.Target);
            }
            TensorPool.Return(sums);
        }

        public override void ReleaseSaved()
        {
            if (_statistics is not null) TensorPool.Return(_statistics);
            _statistics = null;
        }
    }
}
