namespace Latent.Imaging;

/// <summary>The shape of one channel-first image (<c>channels × height × width</c> floats), as models see images.</summary>
public readonly record struct ImageShape(int Channels, int Height, int Width)
{
    /// <summary>A one-channel image, e.g. an 8×8 digit: <c>ImageShape.Gray(8, 8)</c>.</summary>
    public static ImageShape Gray(int height, int width) => new(1, height, width);

    /// <summary>A three-channel (red, green, blue) image.</summary>
    public static ImageShape Rgb(int height, int width) => new(3, height, width);

    /// <summary>Floats in one image.</summary>
    public int Size => Channels * Height * Width;
}
