namespace Latent.Imaging;

/// <summary>Turns intensities in [0, 1] into 8-bit samples.</summary>
internal static class UnitInterval
{
    /// <summary>Clamps to [0, 1] and rounds to the nearest of 0..255; NaN becomes 0 so that a broken model shows as black, not noise.</summary>
    public static byte ToByte(float value) =>
        float.IsNaN(value) ? (byte)0 : (byte)MathF.Round(Math.Clamp(value, 0f, 1f) * 255f, MidpointRounding.AwayFromZero);

    /// <summary>Converts every value with <see cref="ToByte"/>.</summary>
    public static byte[] ToBytes(ReadOnlySpan<float> values)
    {
        var bytes = new byte[values.Length];
        for (int i = 0; i < values.Length; i++) bytes[i] = ToByte(values[i]);
        return bytes;
    }
}
