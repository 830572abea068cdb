namespace Latent.Applications.Compression;

/// <summary>How one quality of a codec did on a set of images: the mean of each measure over the images.</summary>
/// <param name="Quality">The quality (1-based).</param>
/// <param name="Lambda">The λ it was trained with.</param>
/// <param name="BitsPerPixel">Mean of 8 × file bytes / (height × width), the whole .lat file counted.</param>
/// <param name="Psnr">Mean RGB PSNR in dB of the decoded 8-bit image against the original (gray images: over their one channel).</param>
/// <param name="EncodeMilliseconds">Mean time to compress one image.</param>
/// <param name="DecodeMilliseconds">Mean time to decompress one image.</param>
/// <param name="ImageBitsPerPixel">Bits per pixel of each image.</param>
/// <param name="ImagePsnr">PSNR of each image.</param>
public sealed record QualityResult(int Quality, float Lambda, double BitsPerPixel, double Psnr, double EncodeMilliseconds, double DecodeMilliseconds,
    double[] ImageBitsPerPixel, double[] ImagePsnr);

/// <summary>The rate–distortion curve of a codec on a set of images: one point per quality.</summary>
public sealed record CompressionReport(int Images, IReadOnlyList<QualityResult> Qualities)
{
    /// <summary>
    /// The bits per pixel that reach <paramref name="psnr"/> dB on the averaged curve, interpolated linearly in log(bpp)
    /// between the two neighbouring qualities (as shared/reference/jpeg_rd.py does); null when the curve does not reach it.
    /// </summary>
    public double? BitsPerPixelAt(double psnr) =>
        RateDistortion.BitsPerPixelAt([.. Qualities.Select(q => q.BitsPerPixel)], [.. Qualities.Select(q => q.Psnr)], psnr);
}

/// <summary>Reading a rate–distortion curve.</summary>
public static class RateDistortion
{
    /// <summary>
    /// The rate at PSNR <paramref name="target"/> on the curve of (bpp, PSNR) points: the points are sorted by PSNR and
    /// the first pair that brackets the target is interpolated linearly in log(bpp); null when no pair brackets it.
    /// </summary>
    public static double? BitsPerPixelAt(IReadOnlyList<double> bitsPerPixel, IReadOnlyList<double> psnr, double target)
    {
        var points = psnr.Zip(bitsPerPixel).OrderBy(p => p.First).ThenBy(p => p.Second).ToArray();
        for (int i = 0; i + 1 < points.Length; i++)
        {
            var ((p0, b0), (p1, b1)) = (points[i], points[i + 1]);
            if (p0 <= target && target <= p1 && p1 > p0)
            {
                double t = (target - p0) / (p1 - p0);
                return Math.Exp(Math.Log(b0) + t * (Math.Log(b1) - Math.Log(b0)));
            }
        }
        return null;
    }
}
