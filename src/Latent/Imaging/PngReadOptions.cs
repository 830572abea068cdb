namespace Latent.Imaging;

/// <summary>Limits that <see cref="PngReader"/> checks before allocating anything for an image.</summary>
public sealed record PngReadOptions
{
    /// <summary>
    /// Largest width × height accepted (default 2²⁵ ≈ 33.5 million pixels, e.g. 5792 × 5792): a header that claims more is
    /// refused before any pixel memory is allocated, so a corrupt or hostile file cannot claim gigabytes.
    /// </summary>
    public long MaxPixels { get; init; } = 1L << 25;

    /// <summary>Largest file read by <see cref="PngReader.Read(string, PngReadOptions?)"/> (default 256 MiB).</summary>
    public long MaxFileBytes { get; init; } = 256L << 20;

    internal static PngReadOptions Default { get; } = new();
}
