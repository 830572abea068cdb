namespace Latent.Imaging;

/// <summary>How <see cref="ImageGrid"/> arranges images.</summary>
public sealed record GridLayout
{
    /// <summary>Cells per grid row (fewer when there are fewer images); for pairs side by side, pairs per row.</summary>
    public int Columns { get; init; } = 8;

    /// <summary>Pixels of background around every cell, in output pixels (after <see cref="Scale"/>).</summary>
    public int Padding { get; init; } = 2;

    /// <summary>
    /// Intensity in [0, 1] of the padding, on every channel. Mid-gray by default because it stands apart from both
    /// dark-background images (digits) and light-background ones.
    /// </summary>
    public float Background { get; init; } = 0.5f;

    /// <summary>Each image pixel becomes a Scale × Scale block (nearest neighbour), so that 8×8 digits are visible.</summary>
    public int Scale { get; init; } = 1;

    internal void Validate()
    {
        if (Columns < 1) throw new ArgumentException($"A grid needs at least one column; got {Columns}.", nameof(Columns));
        if (Padding < 0) throw new ArgumentException($"Padding cannot be negative; got {Padding}.", nameof(Padding));
        if (Scale < 1) throw new ArgumentException($"The scale factor must be at least 1; got {Scale}.", nameof(Scale));
        if (!float.IsFinite(Background)) throw new ArgumentException($"The background must be a finite intensity; got {Background}.", nameof(Background));
    }
}
