using Latent.Engine;
using Latent.Engine.Nn;

namespace Latent.Models;

/// <summary>
/// The hyper synthesis of an integer hyper-latent in double precision, with plain loops in one fixed order: the encoder
/// and the decoder must pick the same coding table for every latent value, so the raw output that picks it may not
/// depend on the machine's vector width or the thread count, as the engine's fast kernels may (in the last bits). It is
/// small work: the hyper-latent is 1/64 of the image's side.
/// </summary>
internal static class ExactHyperSynthesis
{
    /// <summary>The ladder index of every latent value ([M, 4h, 4w]) from the hyper-latent <paramref name="hyper"/> ([N, h, w]).</summary>
    public static int[] ScaleIndices(Sequential hyperSynthesis, int[] hyper, int height, int width, float[] thresholds)
    {
        double[] raw = Raw(hyperSynthesis, hyper, height, width);
        var indices = new int[raw.Length];
        for (int i = 0; i < raw.Length; i++) indices[i] = ScaleLadder.Index(raw[i], thresholds);
        return indices;
    }

    /// <summary>The raw output of the hyper synthesis ([M, 4h, 4w]), as <see cref="ImageCodecNetwork.HyperSynthesise"/> computes it in float.</summary>
    public static double[] Raw(Sequential hyperSynthesis, int[] hyper, int height, int width)
    {
        if (hyperSynthesis.Layers is not [ConvTranspose2d first, ConvTranspose2d second, Conv2d last] || !Doubling(first) || !Doubling(second)
            || last.Kernel != new Size2d(1, 1) || last.Stride != new Size2d(1, 1) || last.Activation != Activation.Identity || last.Bias is null)
            throw new InvalidOperationException("The hyper synthesis does not have the layers this exact pass computes.");
        var x = new double[hyper.Length];
        for (int i = 0; i < x.Length; i++) x[i] = hyper[i] / (double)ImageCodecNetwork.LatentGain;
        x = Transposed(first, x, ref height, ref width);
        x = Transposed(second, x, ref height, ref width);
        return Pointwise(last, x, height, width);
    }

    private static bool Doubling(ConvTranspose2d layer) => layer.Kernel == new Size2d(2, 2) && layer.Stride == new Size2d(2, 2)
        && layer.Padding == default && layer.OutputPadding == new Size2d(0, 0) && layer.Dilation == new Size2d(1, 1)
        && layer.Activation == Activation.Relu && layer.Bias is not null;

    /// <summary>A 2×2 stride-2 transposed convolution (each input value paints its own 2×2 block) and its ReLU.</summary>
    private static double[] Transposed(ConvTranspose2d layer, double[] input, ref int height, ref int width)
    {
        float[] w = layer.Weight.ToArray(), b = layer.Bias!.ToArray();
        int inputs = layer.Weight.Dim(0), outputs = layer.Weight.Dim(1), k = 2;
        int outHeight = 2 * height, outWidth = 2 * width;
        var output = new double[outputs * outHeight * outWidth];
        for (int o = 0; o < outputs; o++) Array.Fill(output, (double)b[o], o * outHeight * outWidth, outHeight * outWidth);
        for (int i = 0; i < inputs; i++)
            for (int y = 0; y < height; y++)
                for (int x = 0; x < width; x++)
                {
                    double v = input[(i * height + y) * width + x];
                    if (v == 0) continue;
                    for (int o = 0; o < outputs; o++)
                        for (int ky = 0; ky < k; ky++)
                            for (int kx = 0; kx < k; kx++)
                                output[(o * outHeight + 2 * y + ky) * outWidth + 2 * x + kx] += v * w[((i * outputs + o) * k + ky) * k + kx];
                }
        for (int i = 0; i < output.Length; i++) output[i] = Math.Max(0, output[i]);
        (height, width) = (outHeight, outWidth);
        return output;
    }

    /// <summary>A 1×1 convolution, without activation.</summary>
    private static double[] Pointwise(Conv2d layer, double[] input, int height, int width)
    {
        float[] w = layer.Weight.ToArray(), b = layer.Bias!.ToArray();
        int outputs = layer.Weight.Dim(0), inputs = layer.Weight.Dim(1), plane = height * width;
        var output = new double[outputs * plane];
        for (int o = 0; o < outputs; o++)
            for (int p = 0; p < plane; p++)
            {
                double sum = b[o];
                for (int i = 0; i < inputs; i++) sum += input[i * plane + p] * w[o * inputs + i];
                output[o * plane + p] = sum;
            }
        return output;
    }
}
