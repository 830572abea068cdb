using Latent.Engine;

namespace Latent.Data;

/// <summary>
/// Scales each column to zero mean and unit variance: <c>y = (x − mean) / std</c>, with the population standard
/// deviation over the column's non-NaN cells. A constant column maps to 0 and a column with no values is left
/// as it is (no division by zero).
/// </summary>
public sealed class StandardScaler : IScaler
{
    /// <summary>The value of <see cref="Kind"/>.</summary>
    public const string KindName = "standard";

    private readonly ColumnScaling _scaling;

    private StandardScaler(ColumnScaling scaling) => _scaling = scaling;

    /// <inheritdoc/>
    public string Kind => KindName;

    /// <inheritdoc/>
    public int Columns => _scaling.Columns;

    /// <summary>Each column's mean (0 for a column without values).</summary>
    public IReadOnlyList<double> Mean => _scaling.Offset;

    /// <summary>Each column's standard deviation (1 where that is 0 or the column has no values).</summary>
    public IReadOnlyList<double> StandardDeviation => _scaling.Divisor;

    /// <summary>Learns each column's mean and standard deviation from <paramref name="data"/> [rows, columns], ignoring NaN.</summary>
    /// <exception cref="ArgumentException">The tensor is not two-dimensional with at least one row and column, or holds an infinity.</exception>
    public static StandardScaler Fit(Tensor data)
    {
        ColumnStatistics[] stats = ColumnScaling.Statistics(data, KindName);
        double[] mean = [.. stats.Select(s => s.Mean)];
        double[] std = [.. stats.Select(s => Math.Sqrt(s.Variance) is var sd && sd > 0 ? sd : 1)];
        return new StandardScaler(new ColumnScaling(KindName, mean, std));
    }

    internal static StandardScaler FromParameters(double[] mean, double[] std) => new(new ColumnScaling(KindName, mean, std));

    /// <inheritdoc/>
    public Tensor Transform(Tensor data) => _scaling.Transform(data);

    /// <inheritdoc/>
    public Tensor InverseTransform(Tensor scaled) => _scaling.InverseTransform(scaled);

    /// <inheritdoc/>
    public string ToJson() => _scaling.ToJson();
}
