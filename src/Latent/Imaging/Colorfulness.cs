namespace Latent.Imaging;

/// <summary>
/// The colourfulness of an image (Hasler and Süsstrunk 2003, "Measuring colourfulness in natural images"): with
/// rg = R − G and yb = (R + G)/2 − B per pixel, M = √(σ²_rg + σ²_yb) + 0.3·√(μ²_rg + μ²_yb), on the 0–255 scale of their
/// paper (a gray image scores 0; about 33 is "moderately", 59 "quite", 82 "highly" colourful).
/// </summary>
/// <example>
/// <code>
/// double m = Colorfulness.Of(rgb, 32 * 32);   // rgb: three channel-first planes in [0, 1]
/// </code>
/// </example>
public static class Colorfulness
{
    /// <summary>M of one RGB image given as three planes of <paramref name="pixels"/> values in [0, 1].</summary>
    /// <exception cref="ArgumentException">The span does not hold three planes of that size, or the image is empty.</exception>
    public static double Of(ReadOnlySpan<float> rgb, int pixels)
    {
        if (pixels < 1 || rgb.Length != 3L * pixels)
            throw new ArgumentException($"Colourfulness needs three planes of {pixels} pixels ({3L * pixels} values); got {rgb.Length}.");
        double sumRg = 0, sumYb = 0, squaresRg = 0, squaresYb = 0;
        for (int i = 0; i < pixels; i++)
        {
            double r = 255.0 * rgb[i], g = 255.0 * rgb[pixels + i], b = 255.0 * rgb[2 * pixels + i];
            double rg = r - g, yb = 0.5 * (r + g) - b;
            sumRg += rg;
            sumYb += yb;
            squaresRg += rg * rg;
            squaresYb += yb * yb;
        }
        double meanRg = sumRg / pixels, meanYb = sumYb / pixels;
        double varRg = Math.Max(0, squaresRg / pixels - meanRg * meanRg), varYb = Math.Max(0, squaresYb / pixels - meanYb * meanYb);
        return Math.Sqrt(varRg + varYb) + 0.3 * Math.Sqrt(meanRg * meanRg + meanYb * meanYb);
    }
}
