using Latent.Engine.Autograd;
using Latent.Engine.Kernels.Convolution;
using Latent.Engine.Kernels.Elementwise;

namespace Latent.Engine;

public static partial class Ops
{
    /// <summary>
    /// 2-D convolution (cross-correlation, as in every deep-learning library) with an optional fused bias and activation:
    /// y[n, o, i, j] = f(bias[o] + Σ_c Σ_kh Σ_kw w[o, c, kh, kw] · x[n, c, i·sh − padTop + kh·dh, j·sw − padLeft + kw·dw]),
    /// reading zeros outside the image.
    /// input: [batch, inChannels, height, width]; weight: [outChannels, inChannels, kernelHeight, kernelWidth];
    /// bias: [outChannels] or null; output: [batch, outChannels, ⌊(height + padTop + padBottom − dh·(kh − 1) − 1) / sh⌋ + 1, same for width].
    /// <code>
    /// var x = Tensor.Zeros(128, 1, 28, 28);
    /// var w = Tensor.Zeros(64, 1, 3, 3);
    /// Tensor y = Ops.Conv2d(x, w, padding: Padding2d.Same, activation: Activation.Relu);   // [128, 64, 28, 28]
    /// </code>
    /// </summary>
    /// <param name="stride">Step between windows (default 1).</param>
    /// <param name="padding">Zeros around the image (default none); <see cref="Padding2d.Same"/> keeps ⌈size / stride⌉ positions.</param>
    /// <param name="dilation">Spacing between kernel taps (default 1).</param>
    /// <param name="parameter">The leaky-relu slope or elu alpha (NaN: the default).</param>
    /// <exception cref="ArgumentException">Shapes do not fit together, or the window does not fit in the padded image.</exception>
    public static unsafe Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias = null, Size2d? stride = null,
        Padding2d padding = default, Size2d? dilation = null, Activation activation = Activation.Identity, float parameter = float.NaN)
    {
        const string name = "Conv2d";
        if (input.Rank != 4 || weight.Rank != 4 || input.Dim(1) != weight.Dim(1))
            throw new ArgumentException(
                $"{name}: input {Shapes.Format(input.ShapeArray)} does not match weight {Shapes.Format(weight.ShapeArray)}; " +
                "expected input [batch, channels, height, width] and weight [outChannels, channels, kernelHeight, kernelWidth].");
        int batch = input.Dim(0), outChannels = weight.Dim(0);
        CheckBias(name, bias, outChannels, weight);
        Size2d s = (stride ?? 1).RequirePositive(name, "stride"), d = (dilation ?? 1).RequirePositive(name, "dilation");
        Size2d kernel = new(weight.Dim(2), weight.Dim(3)), image = new(input.Dim(2), input.Dim(3));
        kernel.RequirePositive(name, "the kernel size");
        Padding2d pad = padding.Resolve(name, image, Span(kernel, d), s);
        int outH = ConvGeometry.OutputSize(image.Height, pad.Top, pad.Bottom, kernel.Height, s.Height, d.Height);
        int outW = ConvGeometry.OutputSize(image.Width, pad.Left, pad.Right, kernel.Width, s.Width, d.Width);
        if (outH == 0 || outW == 0)
            throw new ArgumentException(
                $"{name}: a {kernel.Height}×{kernel.Width} kernel with dilation {d} does not fit in input {Shapes.Format(input.ShapeArray)} padded by {pad}.");
        var g = new ConvGeometry(input.Dim(1), image.Height, image.Width, kernel.Height, kernel.Width, s.Height, s.Width,
            pad.Top, pad.Left, d.Height, d.Width, outH, outW);

        if (float.IsNaN(parameter)) parameter = ActivationKernels.DefaultParameter(activation);
        Activation fused = ActivationKernels.BackwardNeedsInput(activation) ? Activation.Identity : activation;
        var y = Tensor.Uninitialized([batch, outChannels, outH, outW]);
        fixed (float* px = input.Span, pw = weight.Span, pb = bias is null ? default : bias.Span, py = y.Span)
            ConvolutionJob.Forward(g, batch, outChannels, transposed: false, px, pw, pb, fused, parameter, py);
        bool record = GradMode.IsEnabled && (input.TracksGrad || weight.TracksGrad || (bias?.TracksGrad ?? false));
        Tensor result = GradFn.Record(y, record ? new ConvolutionGrad(input, weight, bias, g, transposed: false, fused, parameter) : null);
        return fused == activation ? result : Activate(result, activation, parameter);
    }

    /// <summary>
    /// 2-D transposed convolution (the gradient of <see cref="Conv2d"/> with respect to its input, used to upsample):
    /// every input element x[n, c, i, j] adds x·w[c, o, kh, kw] to y[n, o, i·sh − padTop + kh·dh, j·sw − padLeft + kw·dw];
    /// then bias and activation. input: [batch, inChannels, height, width];
    /// weight: [inChannels, outChannels, kernelHeight, kernelWidth] (PyTorch's layout); bias: [outChannels] or null;
    /// output: [batch, outChannels, (height − 1)·sh − padTop − padBottom + dh·(kh − 1) + 1 + outputPadding, same for width].
    /// <see cref="Padding2d.Same"/> gives height·sh (Keras' Conv2DTranspose "same").
    /// <code>
    /// Tensor up = Ops.ConvTranspose2d(Tensor.Zeros(8, 16, 7, 7), Tensor.Zeros(16, 32, 3, 3), stride: 2,
    ///     padding: 1, outputPadding: 1);   // [8, 32, 14, 14]
    /// </code>
    /// </summary>
    /// <param name="outputPadding">Extra rows and columns at the bottom and right (receive only the bias); less than the stride.</param>
    /// <exception cref="ArgumentException">Shapes do not fit together or the output would be empty.</exception>
    public static unsafe Tensor ConvTranspose2d(Tensor input, Tensor weight, Tensor? bias = null, Size2d? stride = null,
        Padding2d padding = default, Size2d? outputPadding = null, Size2d? dilation = null, Activation activation = Activation.Identity,
        float parameter = float.NaN)
    {
        const string name = "ConvTranspose2d";
        if (input.Rank != 4 || weight.Rank != 4 || input.Dim(1) != weight.Dim(0))
            throw new ArgumentException(
                $"{name}: input {Shapes.Format(input.ShapeArray)} does not match weight {Shapes.Format(weight.ShapeArray)}; " +
                "expected input [batch, channels, height, width] and weight [channels, outChannels, kernelHeight, kernelWidth].");
        int batch = input.Dim(0), inChannels = input.Dim(1), outChannels = weight.Dim(1);
        CheckBias(name, bias, outChannels, weight);
        Size2d s = (stride ?? 1).RequirePositive(name, "stride"), d = (dilation ?? 1).RequirePositive(name, "dilation");
        Size2d extra = outputPadding ?? 0;
        Size2d kernel = new(weight.Dim(2), weight.Dim(3)), image = new(input.Dim(2), input.Dim(3));
        kernel.RequirePositive(name, "the kernel size");
        if (extra.Height < 0 || extra.Width < 0 || (extra.Height >= s.Height && extra.Height >= d.Height) || (extra.Width >= s.Width && extra.Width >= d.Width))
            throw new ArgumentException($"{name}: output padding {extra} must be smaller than the stride {s} or the dilation {d}.");
        Size2d span = Span(kernel, d);
        var (top, left) = (padding.Top, padding.Left);
        int outH, outW;
        if (padding.IsSame)
        {
            // The output is input·stride; the window overhang beyond that is cut evenly (the odd one at the bottom/right).
            (outH, outW) = (image.Height * s.Height + extra.Height, image.Width * s.Width + extra.Width);
            top = Math.Max(span.Height - s.Height, 0) / 2;
            left = Math.Max(span.Width - s.Width, 0) / 2;
        }
        else
        {
            padding.Resolve(name, image, span, s);   // validates
            outH = (image.Height - 1) * s.Height - padding.Top - padding.Bottom + span.Height + extra.Height;
            outW = (image.Width - 1) * s.Width - padding.Left - padding.Right + span.Width + extra.Width;
        }
        if (outH <= 0 || outW <= 0)
            throw new ArgumentException($"{name}: input {Shapes.Format(input.ShapeArray)} with padding {padding} would give an empty output.");
        var g = new ConvGeometry(outChannels, outH, outW, kernel.Height, kernel.Width, s.Height, s.Width, top, left,
            d.Height, d.Width, image.Height, image.Width);

        if (float.IsNaN(parameter)) parameter = ActivationKernels.DefaultParameter(activation);
        Activation fused = ActivationKernels.BackwardNeedsInput(activation) ? Activation.Identity : activation;
        var y = Tensor.Uninitialized([batch, outChannels, outH, outW]);
        fixed (float* px = input.Span, pw = weight.Span, pb = bias is null ? default : bias.Span, py = y.Span)
            ConvolutionJob.Forward(g, batch, inChannels, transposed: true, px, pw, pb, fused, parameter, py);
        bool record = GradMode.IsEnabled && (input.TracksGrad || weight.TracksGrad || (bias?.TracksGrad ?? false));
        Tensor result = GradFn.Record(y, record ? new ConvolutionGrad(input, weight, bias, g, transposed: true, fused, parameter) : null);
        return fused == activation ? result : Activate(result, activation, parameter);
    }

    private static Size2d Span(Size2d kernel, Size2d dilation) =>
        new(dilation.Height * (kernel.Height - 1) + 1, dilation.Width * (kernel.Width - 1) + 1);

    private static void CheckBias(string name, Tensor? bias, int outChannels, Tensor weight)
    {
        if (bias is not null && (bias.Rank != 1 || bias.Dim(0) != outChannels))
            throw new ArgumentException($"{name}: bias {Shapes.Format(bias.ShapeArray)} does not match weight {Shapes.Format(weight.ShapeArray)}; expected [{outChannels}].");
    }

    private sealed class ConvolutionGrad(Tensor x, Tensor weight, Tensor? bias, ConvGeometry g, bool transposed,
        Activation activation, float parameter) : GradFn(bias is null ? [x, weight] : [x, weight, bias])
    {
        public override unsafe void Backward(Tensor output, ReadOnlySpan<float> gradOutput)
        {
            var gx = x.TracksGrad ? GradWriter.For(x) : default;
            var gw = weight.TracksGrad ? GradWriter.For(weight) : default;
            var gb = bias is not null && bias.TracksGrad ? GradWriter.For(bias) : default;
            try
            {
                fixed (float* px = x.Span, pw = weight.Span, py = output.Span, pg = gradOutput,
                       pgx = gx.Target, pgw = gw.Target, pgb = gb.Target)
                {
                    ConvolutionJob.Backward(g, x.Dim(0), transposed ? x.Dim(1) : weight.Dim(0), transposed, px, pw,
                        activation, parameter, py, pg, pgx, pgw, pgb);
                }
            }
            finally
            {
                gx.Dispose();
                gw.Dispose();
                gb.Dispose();
            }
        }
    }
}
