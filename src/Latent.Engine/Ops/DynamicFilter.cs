using System.Runtime.Intrinsics;
using Latent.Engine.Autograd;
using Latent.Engine.Diagnostics;

namespace Latent.Engine;

public static partial class Ops
{
    /// <summary>
    /// Dynamic local filtering (De Brabandere et al. 2016): every output pixel is a weighted average of the k×k input
    /// pixels around it, with weights of its own, the softmax of its k² logits. input [n, c, h, w] and logits
    /// [n, k·k, h, w] (k odd) → [n, c, h, w]; every channel of an image shares its weights. Tap t = (dy + r)·k + (dx + r),
    /// r = k / 2, reads the pixel dy rows down and dx columns right of the output pixel; pixels outside the image read as 0.
    /// A next-frame predictor that moves the last frame's pixels this way only has to say where each came from, so its
    /// predictions stay as sharp as the frame itself.
    /// </summary>
    public static Tensor DynamicFilter(Tensor input, Tensor logits)
    {
        using var profile = StepProfiler.Measure(WorkKind.Elementwise);
        CheckImages("DynamicFilter", input);
        CheckImages("DynamicFilter", logits);
        int n = input.Dim(0), h = input.Dim(2), w = input.Dim(3), taps = logits.Dim(1), k = (int)Math.Round(Math.Sqrt(taps));
        if (logits.Dim(0) != n || logits.Dim(2) != h || logits.Dim(3) != w || k * k != taps || k % 2 == 0)
            throw new ArgumentException($"DynamicFilter needs logits [{n}, k·k, {h}, {w}] with k odd for images {Shapes.Format(input.ShapeArray)}; got {Shapes.Format(logits.ShapeArray)}.");
        var y = Tensor.Uninitialized([.. input.ShapeArray]);
        var filter = new Kernels.Convolution.LocalFilter(n, input.Dim(1), h, w, k);
        filter.Forward(input.Span, logits.Span, y.Span);
        return GradFn.Record(y, GradFn.Needed(input, logits) ? new DynamicFilterGrad(input, logits, filter) : null);
    }

    private sealed class DynamicFilterGrad(Tensor input, Tensor logits, Kernels.Convolution.LocalFilter filter) : GradFn(input, logits)
    {
        public override void Backward(Tensor output, ReadOnlySpan<float> g)
        {
            using var dInput = input.TracksGrad ? GradWriter.For(input) : default;
            using var dLogits = logits.TracksGrad ? GradWriter.For(logits) : default;
            filter.Backward(input.Span, logits.Span, output.Span, g, input.TracksGrad ? dInput.Target : default, logits.TracksGrad ? dLogits.Target : default);
        }
    }
}
