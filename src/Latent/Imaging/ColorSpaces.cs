namespace Latent.Imaging;

/// <summary>
/// Colour conversions on channel-first images (all of channel 0, then 1, then 2; values as models see them). RGB is
/// sRGB in [0, 1]. <c>pixels</c> is height × width; source and destination may be the same span (in place),
/// other overlaps are not allowed. NaN stays NaN.
/// </summary>
/// <example>
/// <code>
/// float[] lab = new float[rgb.Length];
/// ColorSpaces.RgbToLab(rgb, lab, 28 * 28);   // L in [0, 100], a and b about [−128, 127]
/// </code>
/// </example>
public static class ColorSpaces
{
    // ITU-R BT.601 luma weights, as JPEG (JFIF) and Pillow's "L" conversion use them.
    private const float Kr = 0.299f, Kg = 0.587f, Kb = 0.114f;

    // CIE XYZ of the D65 white point (sRGB's), Y = 1.
    private const float Xn = 0.95047f, Yn = 1f, Zn = 1.08883f;

    /// <summary>Luma Y = 0.299·R + 0.587·G + 0.114·B (BT.601): 3 planes in, 1 plane out.</summary>
    public static void RgbToGray(ReadOnlySpan<float> rgb, Span<float> gray, int pixels)
    {
        Check(rgb, 3, gray, 1, pixels);
        for (int i = 0; i < pixels; i++) gray[i] = Kr * rgb[i] + Kg * rgb[pixels + i] + Kb * rgb[2 * pixels + i];
    }

    /// <summary>
    /// Full-range YCbCr as in JPEG (JFIF), scaled to [0, 1]: Y = 0.299R + 0.587G + 0.114B,
    /// Cb = ½ + (B − Y) / 1.772, Cr = ½ + (R − Y) / 1.402.
    /// </summary>
    public static void RgbToYCbCr(ReadOnlySpan<float> rgb, Span<float> ycbcr, int pixels)
    {
        Check(rgb, 3, ycbcr, 3, pixels);
        for (int i = 0; i < pixels; i++)
        {
            float r = rgb[i], g = rgb[pixels + i], b = rgb[2 * pixels + i];
            float y = Kr * r + Kg * g + Kb * b;
            ycbcr[i] = y;
            ycbcr[pixels + i] = 0.5f + (b - y) / (2 * (1 - Kb));
            ycbcr[2 * pixels + i] = 0.5f + (r - y) / (2 * (1 - Kr));
        }
    }

    /// <summary>The inverse of <see cref="RgbToYCbCr"/>: R = Y + 1.402(Cr − ½), B = Y + 1.772(Cb − ½), G from Y. Not clamped.</summary>
    public static void YCbCrToRgb(ReadOnlySpan<float> ycbcr, Span<float> rgb, int pixels)
    {
        Check(ycbcr, 3, rgb, 3, pixels);
        for (int i = 0; i < pixels; i++)
        {
            float y = ycbcr[i], cb = ycbcr[pixels + i] - 0.5f, cr = ycbcr[2 * pixels + i] - 0.5f;
            float r = y + 2 * (1 - Kr) * cr, b = y + 2 * (1 - Kb) * cb;
            rgb[i] = r;
            rgb[pixels + i] = (y - Kr * r - Kb * b) / Kg;
            rgb[2 * pixels + i] = b;
        }
    }

    /// <summary>
    /// CIE L*a*b* (D65) from sRGB: undo the sRGB transfer curve, convert to XYZ (IEC 61966-2-1 matrix), then
    /// L = 116·f(Y/Yn) − 16, a = 500·(f(X/Xn) − f(Y/Yn)), b = 200·(f(Y/Yn) − f(Z/Zn)), with f(t) = ∛t above (6/29)³ and
    /// linear below. White is (100, 0, 0); black (0, 0, 0).
    /// </summary>
    public static void RgbToLab(ReadOnlySpan<float> rgb, Span<float> lab, int pixels)
    {
        Check(rgb, 3, lab, 3, pixels);
        for (int i = 0; i < pixels; i++)
        {
            double r = ToLinear(rgb[i]), g = ToLinear(rgb[pixels + i]), b = ToLinear(rgb[2 * pixels + i]);
            double x = 0.4124564 * r + 0.3575761 * g + 0.1804375 * b;
            double y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b;
            double z = 0.0193339 * r + 0.1191920 * g + 0.9503041 * b;
            double fx = F(x / Xn), fy = F(y / Yn), fz = F(z / Zn);
            lab[i] = (float)(116 * fy - 16);
            lab[pixels + i] = (float)(500 * (fx - fy));
            lab[2 * pixels + i] = (float)(200 * (fy - fz));
        }
    }

    /// <summary>The inverse of <see cref="RgbToLab"/>. Colours outside the sRGB gamut come out below 0 or above 1 (not clamped).</summary>
    public static void LabToRgb(ReadOnlySpan<float> lab, Span<float> rgb, int pixels)
    {
        Check(lab, 3, rgb, 3, pixels);
        for (int i = 0; i < pixels; i++)
        {
            double fy = (lab[i] + 16) / 116.0, fx = fy + lab[pixels + i] / 500.0, fz = fy - lab[2 * pixels + i] / 200.0;
            double x = Xn * FInverse(fx), y = Yn * FInverse(fy), z = Zn * FInverse(fz);
            double r = 3.2404542 * x - 1.5371385 * y - 0.4985314 * z;
            double g = -0.9692660 * x + 1.8760108 * y + 0.0415560 * z;
            double b = 0.0556434 * x - 0.2040259 * y + 1.0572252 * z;
            rgb[i] = (float)ToSrgb(r);
            rgb[pixels + i] = (float)ToSrgb(g);
            rgb[2 * pixels + i] = (float)ToSrgb(b);
        }
    }

    private static double ToLinear(double c) => c <= 0.04045 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);

    private static double ToSrgb(double c) => c <= 0.0031308 ? 12.92 * c : 1.055 * Math.Pow(c, 1 / 2.4) - 0.055;

    private const double Delta = 6.0 / 29;

    private static double F(double t) => t > Delta * Delta * Delta ? Math.Cbrt(t) : t / (3 * Delta * Delta) + 4.0 / 29;

    private static double FInverse(double f) => f > Delta ? f * f * f : 3 * Delta * Delta * (f - 4.0 / 29);

    private static void Check(ReadOnlySpan<float> source, int sourceChannels, Span<float> destination, int destinationChannels, int pixels)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(pixels);
        if (source.Length != (long)sourceChannels * pixels)
            throw new ArgumentException($"The source must hold {sourceChannels} planes of {pixels} pixels ({sourceChannels * (long)pixels} values); it holds {source.Length}.", nameof(source));
        if (destination.Length != (long)destinationChannels * pixels)
            throw new ArgumentException($"The destination must hold {destinationChannels} planes of {pixels} pixels ({destinationChannels * (long)pixels} values); it holds {destination.Length}.", nameof(destination));
        if (source.Overlaps(destination, out int offset) && offset != 0)
            throw new ArgumentException("The source and destination overlap without being the same span.", nameof(destination));
    }
}
