using Latent.Engine;

namespace Latent.Data;

/// <summary>Checks on the range of data that decide a model's output activation, loss and scaling.</summary>
public static class ValueRange
{
    /// <summary>Whether every value lies in [0, 1] (pixel intensities, proportions); false for NaN.</summary>
    public static bool InUnitRange(Tensor data)
    {
        ArgumentNullException.ThrowIfNull(data);
        foreach (float v in data.Span)
            if (!(v >= 0f && v <= 1f)) return false;
        return true;
    }
}
