using Latent.Engine;

namespace Latent.Data;

/// <summary>Which part of a data set to load.</summary>
public enum Split
{
    Train,
    Test,
}

/// <summary>Channels, height and width of the images a data set's rows hold (row-major, channel-first).</summary>
public sealed record ImageShape(int Channels, int Height, int Width)
{
    public int Pixels => Channels * Height * Width;
}

/// <summary>
/// Rows of numeric features ready for a model: <see cref="Features"/> is [rows, columns], float32. Labels,
/// image geometry and column names are there when the source has them.
/// </summary>
public sealed record Dataset(string Name, Tensor Features, int[]? Labels = null, ImageShape? Image = null, IReadOnlyList<string>? ColumnNames = null)
{
    public int Rows => Features.Dim(0);
    public int Columns => Features.Dim(1);
}
