namespace Latent.Applications.Denoising;

/// <summary>
/// How much a <see cref="Denoiser"/> helps on images with known clean versions: PSNR in dB (mean of per-image values, and
/// of the overall MSE) and mean SSIM, of the noisy input and of the denoised output.
/// </summary>
public sealed record DenoisingReport(int Images, double NoisyPsnr, double DenoisedPsnr, double NoisyPsnrOfMse, double DenoisedPsnrOfMse,
    double NoisySsim, double DenoisedSsim)
{
    /// <summary>DenoisedPsnr − NoisyPsnr.</summary>
    public double Gain => DenoisedPsnr - NoisyPsnr;
}
