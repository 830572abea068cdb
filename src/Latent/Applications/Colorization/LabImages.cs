using Latent.Imaging;

namespace Latent.Applications.Colorization;

/// <summary>
/// The colorizer's view of images: lightness L/100 in, (a, b)/110 out (the reference's scaling, both about [−1, 1] or
/// [0, 1]), and back to sRGB clipped to [0, 1].
/// </summary>
internal static class LabImages
{
    /// <summary>Scale of L in the network's input.</summary>
    public const float LightnessScale = 100;

    /// <summary>Scale of a and b in the network's regression output.</summary>
    public const float ChromaScale = 110;

    /// <summary>L/100 of each pixel of a channel-first image: gray (1 channel, a value v is the colour (v, v, v)) or RGB (3).</summary>
    public static void Lightness(ReadOnlySpan<float> image, int channels, int pixels, Span<float> lightness)
    {
        var rgb = new float[3 * pixels];
        if (channels == 1)
        {
            for (int c = 0; c < 3; c++) image[..pixels].CopyTo(rgb.AsSpan(c * pixels, pixels));
        }
        else image[..(3 * pixels)].CopyTo(rgb);
        var lab = new float[3 * pixels];
        ColorSpaces.RgbToLab(rgb, lab, pixels);
        for (int i = 0; i < pixels; i++) lightness[i] = lab[i] / LightnessScale;
    }

    /// <summary>An RGB image's planes L/100, a/110, b/110.</summary>
    public static void ToScaledLab(ReadOnlySpan<float> rgb, int pixels, Span<float> scaled)
    {
        ColorSpaces.RgbToLab(rgb, scaled, pixels);
        for (int i = 0; i < pixels; i++) scaled[i] /= LightnessScale;
        for (int i = pixels; i < 3 * pixels; i++) scaled[i] /= ChromaScale;
    }

    /// <summary>sRGB in [0, 1] (clipped) from L/100 and (a, b) in Lab units.</summary>
    public static void ToRgb(ReadOnlySpan<float> lightness, ReadOnlySpan<float> ab, int pixels, Span<float> rgb)
    {
        var lab = new float[3 * pixels];
        for (int i = 0; i < pixels; i++) lab[i] = lightness[i] * LightnessScale;
        ab[..(2 * pixels)].CopyTo(lab.AsSpan(pixels));
        ColorSpaces.LabToRgb(lab, rgb, pixels);
        for (int i = 0; i < 3 * pixels; i++) rgb[i] = Math.Clamp(rgb[i], 0f, 1f);
    }

    /// <summary>Rounds [0, 1] values to 8 bits (what a saved image holds), in place.</summary>
    public static void RoundTo8Bits(Span<float> values)
    {
        for (int i = 0; i < values.Length; i++) values[i] = MathF.Round(values[i] * 255) / 255;
    }
}
