using Latent.Engine.Autograd;
using Latent.Engine.Diagnostics;
using Latent.Engine.Kernels.Convolution;

namespace Latent.Engine;

public static partial class Ops
{
    /// <summary>
    /// 2-D max pooling: y[n, c, i, j] = max over the window at rows i·sh − padTop .. + kh − 1 and columns likewise
    /// (padding never wins; NaN propagates). input: [batch, channels, height, width]; output: [batch, channels, outH, outW] with
    /// outH = ⌊(height + padTop + padBottom − kh) / sh⌋ + 1 (⌈…⌉ with <paramref name="ceilMode"/>, dropping a last
    /// window that would start in the bottom padding, as PyTorch does). The gradient goes to the first largest element
    /// of each window.
    /// <code>
    /// Tensor y = Ops.MaxPool2d(Tensor.Zeros(8, 16, 28, 28), 2);                      // [8, 16, 14, 14]
    /// Tensor z = Ops.MaxPool2d(Tensor.Zeros(8, 16, 7, 7), 2, padding: Padding2d.Same);   // [8, 16, 4, 4]
    /// </code>
    /// </summary>
    /// <param name="stride">Step between windows; default: the kernel size.</param>
    public static unsafe Tensor MaxPool2d(Tensor input, Size2d kernel, Size2d? stride = null, Padding2d padding = default, bool ceilMode = false)
    {
        using var profile = StepProfiler.Measure(WorkKind.Elementwise);
        var (g, _, _) = PoolGeometry("MaxPool2d", input, kernel, stride, padding, ceilMode);
        int planes = input.Dim(0) * input.Dim(1);
        var y = Tensor.Uninitialized([input.Dim(0), input.Dim(1), g.OutHeight, g.OutWidth]);
        fixed (float* px = input.Span, py = y.Span) PoolingKernels.MaxForward(g, planes, px, py);
        return GradFn.Record(y, GradFn.Needed(input) ? new MaxPoolGrad(input, g) : null);
    }

    /// <summary>
    /// 2-D average pooling: y[n, c, i, j] = mean of the window (shapes as <see cref="MaxPool2d"/>). With explicit padding
    /// the padded zeros count in the mean when <paramref name="countIncludePad"/> is true (PyTorch's default); with
    /// <see cref="Padding2d.Same"/> they never count (Keras).
    /// <code>
    /// Tensor y = Ops.AvgPool2d(Tensor.Ones(1, 3, 6, 6), 3);   // [1, 3, 2, 2], all ones
    /// </code>
    /// </summary>
    public static unsafe Tensor AvgPool2d(Tensor input, Size2d kernel, Size2d? stride = null, Padding2d padding = default,
        bool ceilMode = false, bool countIncludePad = true)
    {
        using var profile = StepProfiler.Measure(WorkKind.Elementwise);
        var (g, bottom, right) = PoolGeometry("AvgPool2d", input, kernel, stride, padding, ceilMode);
        bool count = countIncludePad && !padding.IsSame;
        int planes = input.Dim(0) * input.Dim(1);
        var y = Tensor.Uninitialized([input.Dim(0), input.Dim(1), g.OutHeight, g.OutWidth]);
        fixed (float* px = input.Span, py = y.Span) PoolingKernels.AverageForward(g, bottom, right, count, planes, px, py);
        return GradFn.Record(y, GradFn.Needed(input) ? new AvgPoolGrad(input, g, bottom, right, count) : null);
    }

    private static (ConvGeometry Geometry, int PadBottom, int PadRight) PoolGeometry(string name, Tensor input, Size2d kernel,
        Size2d? stride, Padding2d padding, bool ceilMode)
    {
        if (input.Rank != 4)
            throw new ArgumentException($"{name} expects input [batch, channels, height, width]; got {Shapes.Format(input.ShapeArray)}.");
        kernel.RequirePositive(name, "the kernel size");
        Size2d s = (stride ?? kernel).RequirePositive(name, "stride");
        Size2d image = new(input.Dim(2), input.Dim(3));
        Padding2d pad = padding.Resolve(name, image, kernel, s);
        if (!padding.IsSame && (2 * pad.Top > kernel.Height || 2 * pad.Bottom > kernel.Height || 2 * pad.Left > kernel.Width || 2 * pad.Right > kernel.Width))
            throw new ArgumentException($"{name}: padding {pad} must be at most half the {kernel.Height}×{kernel.Width} window.");
        int outH = PoolOutput(image.Height, pad.Top, pad.Bottom, kernel.Height, s.Height, ceilMode);
        int outW = PoolOutput(image.Width, pad.Left, pad.Right, kernel.Width, s.Width, ceilMode);
        if (outH <= 0 || outW <= 0)
            throw new ArgumentException($"{name}: a {kernel.Height}×{kernel.Width} window does not fit in input {Shapes.Format(input.ShapeArray)} padded by {pad}.");
        var g = new ConvGeometry(1, image.Height, image.Width, kernel.Height, kernel.Width, s.Height, s.Width, pad.Top, pad.Left, 1, 1, outH, outW);
        return (g, pad.Bottom, pad.Right);
    }

    private static int PoolOutput(int size, int before, int after, int kernel, int stride, bool ceilMode)
    {
        int room = size + before + after - kernel;
        if (room < 0) return 0;
        int outputs = (ceilMode ? (room + stride - 1) / stride : room / stride) + 1;
        if (ceilMode && (outputs - 1) * stride >= size + before) outputs--;   // a window must start inside the image or the top padding
        return outputs;
    }

    private sealed class MaxPoolGrad(Tensor x, ConvGeometry g) : GradFn(x)
    {
        public override unsafe void Backward(Tensor output, ReadOnlySpan<float> gradOutput)
        {
            using var w = GradWriter.For(x);
            fixed (float* px = x.Span, py = output.Span, pg = gradOutput, pgx = w.Target)
                PoolingKernels.MaxBackward(g, x.Dim(0) * x.Dim(1), px, py, pg, pgx);
        }
    }

    private sealed class AvgPoolGrad(Tensor x, ConvGeometry g, int bottom, int right, bool count) : GradFn(x)
    {
        public override unsafe void Backward(Tensor output, ReadOnlySpan<float> gradOutput)
        {
            using var w = GradWriter.For(x);
            fixed (float* pg = gradOutput, pgx = w.Target)
                PoolingKernels.AverageBackward(g, bottom, right, count, x.Dim(0) * x.Dim(1), pg, pgx);
        }
    }
}
