namespace Latent.Applications.Colorization;

/// <summary>
/// How close a <see cref="Colorizer"/>'s colours come to the originals, scored on 8-bit RGB images (what one would save):
/// mean per-image PSNR (dB, each capped at 60 for images reproduced exactly) and mean SSIM of the colourised images and of
/// the grayscale baseline (the original lightness with a = b = 0), and the mean colourfulness (Hasler and Süsstrunk) of
/// the colourised images and of the originals.
/// </summary>
public sealed record ColorizationReport(int Images, double Psnr, double GrayPsnr, double Ssim, double GraySsim, double Colorfulness,
    double TruthColorfulness)
{
    /// <summary>Psnr − GrayPsnr: what the colours add over leaving the image gray.</summary>
    public double Gain => Psnr - GrayPsnr;

    /// <summary>Colorfulness / TruthColorfulness: below 1 means muted colours.</summary>
    public double ColorfulnessRatio => TruthColorfulness == 0 ? 0 : Colorfulness / TruthColorfulness;
}
