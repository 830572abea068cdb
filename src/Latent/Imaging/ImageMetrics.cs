namespace Latent.Imaging;

/// <summary>
/// Image quality measures between a reference and a test image of the same shape (channel-first floats, values on a
/// scale whose peak is <c>max</c>, 1 for [0, 1] images).
/// </summary>
/// <example>
/// <code>
/// double db = ImageMetrics.Psnr(clean, denoised);                          // e.g. 20.3
/// double s = ImageMetrics.Ssim(clean, denoised, ImageShape.Gray(28, 28));  // in [−1, 1], 1 = identical
/// </code>
/// </example>
public static class ImageMetrics
{
    /// <summary>
    /// Peak signal-to-noise ratio 10·log₁₀(max² / MSE) in dB; +∞ for identical images. Computed in double.
    /// </summary>
    /// <exception cref="ArgumentException">The images differ in length or are empty.</exception>
    public static double Psnr(ReadOnlySpan<float> reference, ReadOnlySpan<float> test, double max = 1)
    {
        double mse = MeanSquaredError(reference, test);
        return 10 * Math.Log10(max * max / mse);
    }

    /// <summary>The mean squared difference.</summary>
    public static double MeanSquaredError(ReadOnlySpan<float> reference, ReadOnlySpan<float> test)
    {
        if (reference.Length != test.Length || reference.Length == 0)
            throw new ArgumentException($"PSNR and MSE need two non-empty images of the same size; got {reference.Length} and {test.Length} values.");
        double sum = 0;
        for (int i = 0; i < reference.Length; i++) sum += (double)(reference[i] - test[i]) * (reference[i] - test[i]);
        return sum / reference.Length;
    }

    /// <summary>
    /// Structural similarity (Wang, Bovik, Sheikh and Simoncelli 2004) with their constants: an 11×11 Gaussian window of
    /// σ = 1.5 (smaller when the image is smaller: 2·⌊side/2⌋ − 1 taps at least 1), K₁ = 0.01, K₂ = 0.03, L = max. The SSIM
    /// map is computed where the window fits (no padding), averaged, and then averaged over channels.
    /// </summary>
    public static double Ssim(ReadOnlySpan<float> reference, ReadOnlySpan<float> test, ImageShape shape, double max = 1)
    {
        if (reference.Length != shape.Size || test.Length != shape.Size || shape.Size == 0)
            throw new ArgumentException($"SSIM needs two images of shape {shape.Channels}×{shape.Height}×{shape.Width} ({shape.Size} values); got {reference.Length} and {test.Length}.");
        int taps = Math.Min(11, Math.Max(1, 2 * (Math.Min(shape.Height, shape.Width) / 2) - 1));
        double[] window = Gaussian(taps, 1.5);
        double c1 = Math.Pow(0.01 * max, 2), c2 = Math.Pow(0.03 * max, 2);
        int plane = shape.Height * shape.Width, outH = shape.Height - taps + 1, outW = shape.Width - taps + 1;
        var x = new double[plane];
        var y = new double[plane];
        var products = new double[5][];
        for (int i = 0; i < 5; i++) products[i] = new double[plane];
        double total = 0;
        for (int c = 0; c < shape.Channels; c++)
        {
            for (int i = 0; i < plane; i++)
            {
                x[i] = reference[c * plane + i];
                y[i] = test[c * plane + i];
            }
            // Local means of x, y, x², y², xy under the window.
            double[] mx = Filter(x, shape.Height, shape.Width, window), my = Filter(y, shape.Height, shape.Width, window);
            for (int i = 0; i < plane; i++)
            {
                products[0][i] = x[i] * x[i];
                products[1][i] = y[i] * y[i];
                products[2][i] = x[i] * y[i];
            }
            double[] mxx = Filter(products[0], shape.Height, shape.Width, window), myy = Filter(products[1], shape.Height, shape.Width, window);
            double[] mxy = Filter(products[2], shape.Height, shape.Width, window);
            double sum = 0;
            for (int i = 0; i < outH * outW; i++)
            {
                double vx = mxx[i] - mx[i] * mx[i], vy = myy[i] - my[i] * my[i], cov = mxy[i] - mx[i] * my[i];
                sum += (2 * mx[i] * my[i] + c1) * (2 * cov + c2) / ((mx[i] * mx[i] + my[i] * my[i] + c1) * (vx + vy + c2));
            }
            total += sum / (outH * outW);
        }
        return total / shape.Channels;
    }

    private static double[] Gaussian(int taps, double sigma)
    {
        var w = new double[taps];
        double sum = 0;
        for (int i = 0; i < taps; i++) sum += w[i] = Math.Exp(-Math.Pow(i - (taps - 1) / 2.0, 2) / (2 * sigma * sigma));
        for (int i = 0; i < taps; i++) w[i] /= sum;
        return w;
    }

    /// <summary>Separable "valid" filtering of one plane: result [(h − taps + 1) × (w − taps + 1)].</summary>
    private static double[] Filter(double[] plane, int height, int width, double[] window)
    {
        int taps = window.Length, outH = height - taps + 1, outW = width - taps + 1;
        var rows = new double[height * outW];
        for (int r = 0; r < height; r++)
            for (int c = 0; c < outW; c++)
            {
                double s = 0;
                for (int t = 0; t < taps; t++) s += window[t] * plane[r * width + c + t];
                rows[r * outW + c] = s;
            }
        var result = new double[outH * outW];
        for (int r = 0; r < outH; r++)
            for (int c = 0; c < outW; c++)
            {
                double s = 0;
                for (int t = 0; t < taps; t++) s += window[t] * rows[(r + t) * outW + c];
                result[r * outW + c] = s;
            }
        return result;
    }
}
