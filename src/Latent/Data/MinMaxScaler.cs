using Latent.Engine;

namespace Latent.Data;

/// <summary>
/// Scales each column to [0, 1]: <c>y = (x − min) / (max − min)</c>, with min and max over the column's non-NaN
/// cells. A constant column maps to 0 and a column with no values is left as it is (no division by zero).
/// </summary>
public sealed class MinMaxScaler : IScaler
{
    /// <summary>The value of <see cref="Kind"/>.</summary>
    public const string KindName = "min-max";

    private readonly ColumnScaling _scaling;

    private MinMaxScaler(ColumnScaling scaling) => _scaling = scaling;

    /// <inheritdoc/>
    public string Kind => KindName;

    /// <inheritdoc/>
    public int Columns => _scaling.Columns;

    /// <summary>Each column's smallest value (0 for a column without values).</summary>
    public IReadOnlyList<double> Minimum => _scaling.Offset;

    /// <summary>Each column's range, max − min (1 where that is 0 or the column has no values).</summary>
    public IReadOnlyList<double> Range => _scaling.Divisor;

    /// <summary>Learns each column's minimum and maximum from <paramref name="data"/> [rows, columns], ignoring NaN.</summary>
    /// <exception cref="ArgumentException">The tensor is not two-dimensional with at least one row and column, or holds an infinity.</exception>
    public static MinMaxScaler Fit(Tensor data)
    {
        ColumnStatistics[] stats = ColumnScaling.Statistics(data, KindName);
        double[] min = [.. stats.Select(s => s.Count > 0 ? s.Min : 0)];
        double[] range = [.. stats.Select(s => s.Count > 0 && s.Max > s.Min ? s.Max - s.Min : 1)];
        return new MinMaxScaler(new ColumnScaling(KindName, min, range));
    }

    internal static MinMaxScaler FromParameters(double[] min, double[] range) => new(new ColumnScaling(KindName, min, range));

    /// <inheritdoc/>
    public Tensor Transform(Tensor data) => _scaling.Transform(data);

    /// <inheritdoc/>
    public Tensor InverseTransform(Tensor scaled) => _scaling.InverseTransform(scaled);

    /// <inheritdoc/>
    public string ToJson() => _scaling.ToJson();
}
