using Latent.Engine.Autograd;
using Latent.Engine.Diagnostics;
using Latent.Engine.Kernels.Convolution;

namespace Latent.Engine;

/// <summary>How <see cref="Ops.Upsample"/> and <see cref="Ops.Resize"/> compute new pixels.</summary>
public enum UpsampleMode
{
    /// <summary>Each output pixel copies the input pixel it falls in (Keras' UpSampling2D).</summary>
    Nearest,

    /// <summary>Each output pixel interpolates linearly between the four nearest input pixel centres.</summary>
    Bilinear,
}

public static partial class Ops
{
    /// <summary>
    /// Enlarges images by integer factors: input [batch, channels, h, w] → output [batch, channels, h·sh, w·sw].
    /// Nearest copies each pixel into an sh×sw block; bilinear interpolates between pixel centres (PyTorch's
    /// <c>align_corners=False</c> unless <paramref name="alignCorners"/>).
    /// <code>
    /// Tensor y = Ops.Upsample(Tensor.Zeros(8, 16, 7, 7), 2);   // [8, 16, 14, 14]
    /// </code>
    /// </summary>
    public static Tensor Upsample(Tensor input, Size2d scale, UpsampleMode mode = UpsampleMode.Nearest, bool alignCorners = false)
    {
        using var profile = StepProfiler.Measure(WorkKind.Elementwise);
        CheckImages("Upsample", input);
        scale.RequirePositive("Upsample", "the scale factor");
        return Resample("Upsample", input, checked(input.Dim(2) * scale.Height), checked(input.Dim(3) * scale.Width), mode, alignCorners);
    }

    /// <summary>
    /// Resamples images to <paramref name="size"/> (larger or smaller): input [batch, channels, h, w] → output
    /// [batch, channels, size.Height, size.Width]; see <see cref="UpsampleMode"/>. Bilinear shrinking reads only the two
    /// nearest pixels per axis (no antialiasing), as PyTorch's <c>interpolate</c> does.
    /// </summary>
    public static Tensor Resize(Tensor input, Size2d size, UpsampleMode mode = UpsampleMode.Bilinear, bool alignCorners = false)
    {
        using var profile = StepProfiler.Measure(WorkKind.Elementwise);
        CheckImages("Resize", input);
        size.RequirePositive("Resize", "the output size");
        return Resample("Resize", input, size.Height, size.Width, mode, alignCorners);
    }

    private static void CheckImages(string name, Tensor input)
    {
        if (input.Rank != 4 || input.Dim(2) == 0 || input.Dim(3) == 0)
            throw new ArgumentException($"{name} expects non-empty images [batch, channels, height, width]; got {Shapes.Format(input.ShapeArray)}.");
    }

    private static unsafe Tensor Resample(string name, Tensor input, int outH, int outW, UpsampleMode mode, bool alignCorners)
    {
        if (!Enum.IsDefined(mode)) throw new ArgumentOutOfRangeException(nameof(mode), mode, $"{name}: unknown mode.");
        var y = Tensor.Uninitialized([input.Dim(0), input.Dim(1), outH, outW]);
        bool bilinear = mode == UpsampleMode.Bilinear;
        fixed (float* px = input.Span, py = y.Span)
            UpsampleKernels.Run(input.Dim(0) * input.Dim(1), input.Dim(2), input.Dim(3), outH, outW, bilinear, alignCorners, backward: false, px, py);
        return GradFn.Record(y, GradFn.Needed(input) ? new ResampleGrad(input, bilinear, alignCorners) : null);
    }

    private sealed class ResampleGrad(Tensor x, bool bilinear, bool alignCorners) : GradFn(x)
    {
        public override unsafe void Backward(Tensor output, ReadOnlySpan<float> gradOutput)
        {
            using var w = GradWriter.For(x);
            fixed (float* pg = gradOutput, pgx = w.Target)
                UpsampleKernels.Run(x.Dim(0) * x.Dim(1), x.Dim(2), x.Dim(3), output.Dim(2), output.Dim(3), bilinear, alignCorners, backward: true, pg, pgx);
        }
    }
}
