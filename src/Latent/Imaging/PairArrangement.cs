namespace Latent.Imaging;

/// <summary>How <see cref="ImageGrid.ComposePairs"/> places each original next to its reconstruction.</summary>
public enum PairArrangement
{
    /// <summary>A row of originals, the row of their reconstructions below it, and so on.</summary>
    AlternatingRows,

    /// <summary>Each original with its reconstruction immediately to its right.</summary>
    SideBySide,
}
