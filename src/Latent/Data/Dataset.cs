using Latent.Engine;
using Latent.Imaging;
using Latent.Reporting;

namespace Latent.Data;

/// <summary>Which part of a data set to load.</summary>
public enum Split
{
    /// <summary>The training part.</summary>
    Train,
    /// <summary>The held-out test part.</summary>
    Test,
}

/// <summary>
/// Rows of numeric features ready for a model: <see cref="Features"/> is [rows, columns], float32. Labels,
/// image geometry and column names are there when the source has them.
/// </summary>
public sealed record Dataset(string Name, Tensor Features, int[]? Labels = null, ImageShape? Image = null, IReadOnlyList<string>? ColumnNames = null)
{
    /// <summary>Number of rows.</summary>
    public int Rows => Features.Dim(0);
    /// <summary>Values per row.</summary>
    public int Columns => Features.Dim(1);

    /// <summary>A copy of row <paramref name="index"/> (from 0).</summary>
    public float[] Row(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Rows);
        return Features.Span.Slice(index * Columns, Columns).ToArray();
    }

    /// <summary>Refuses rows of another width than a model's <paramref name="inputs"/>, naming both widths.</summary>
    /// <exception cref="ArgumentException">The data has a different number of columns.</exception>
    public void CheckWidth(int inputs)
    {
        if (Columns != inputs) throw new ArgumentException($"The model expects rows of {Counted.Of(inputs, "value")} but {Name} has {Columns}.");
    }

    /// <summary>For rows encoded from a table (CSV): the schema that encoded them, to store with a model and to decode its output.</summary>
    public TableSchema? Schema { get; init; }
}
