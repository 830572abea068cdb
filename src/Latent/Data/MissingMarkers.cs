namespace Latent.Data;

/// <summary>The cell texts that mean "no value": empty, NaN, NA, N/A, ?, null (any case, surrounding spaces ignored).</summary>
public static class MissingMarkers
{
    /// <summary>The markers other than the empty cell, in the spelling used in messages.</summary>
    public static IReadOnlyList<string> All { get; } = ["NaN", "NA", "N/A", "?", "null"];

    /// <summary>Whether <paramref name="cell"/> is missing.</summary>
    public static bool IsMissing(string? cell)
    {
        if (cell is null) return true;
        ReadOnlySpan<char> text = cell.AsSpan().Trim();
        if (text.IsEmpty) return true;
        foreach (string marker in All)
            if (text.Equals(marker, StringComparison.OrdinalIgnoreCase)) return true;
        return false;
    }
}
