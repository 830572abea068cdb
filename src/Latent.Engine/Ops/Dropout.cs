using System.Numerics.Tensors;
using Latent.Engine.Autograd;
using Latent.Engine.Diagnostics;

namespace Latent.Engine;

public static partial class Ops
{
    /// <summary>
    /// Inverted dropout: each element is zeroed with probability <paramref name="p"/> and the survivors are
    /// scaled by 1/(1−p), so that nothing changes at inference. Returns x itself when not training or p = 0.
    /// </summary>
    public static Tensor Dropout(Tensor x, float p, Rng rng, bool training = true)
    {
        using var profile = StepProfiler.Measure(WorkKind.Elementwise);
        if (!(p >= 0f && p < 1f)) throw new ArgumentOutOfRangeException(nameof(p), p, "Dropout probability must be in [0, 1).");
        if (!training || p == 0f) return x;
        var mask = Tensor.UninitializedLike(x);
        Span<float> ms = mask.Span;
        float keep = 1f / (1f - p);
        for (int i = 0; i < ms.Length; i++) ms[i] = rng.NextFloat() < p ? 0f : keep;
        var y = Tensor.UninitializedLike(x);
        TensorPrimitives.Multiply(x.Span, ms, y.Span);
        if (!GradFn.Needed(x))
        {
            mask.Dispose();
            return y;
        }
        return GradFn.Record(y, new DropoutGrad(x, mask));
    }

    private sealed class DropoutGrad(Tensor x, Tensor mask) : GradFn(x)
    {
        public override void Backward(Tensor output, ReadOnlySpan<float> g)
        {
            using var w = GradWriter.For(x);
            TensorPrimitives.Multiply(g, mask.Span, w.Target);
        }

        public override void ReleaseSaved() => mask.Dispose();
    }
}
