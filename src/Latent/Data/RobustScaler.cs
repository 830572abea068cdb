using Latent.Engine;

namespace Latent.Data;

/// <summary>
/// Scales each column by statistics that a minority of wild values cannot move: <c>y = (x − median) / spread</c>,
/// where spread = (95th − 5th percentile) / 3.29, which equals the standard deviation for normal data. A column
/// whose 5th and 95th percentiles coincide (mostly one value) falls back to its standard deviation, a constant
/// column to 1. Percentiles interpolate linearly between the sorted non-NaN cells; NaN cells stay NaN.
/// </summary>
public sealed class RobustScaler : IScaler
{
    /// <summary>The value of <see cref="Kind"/>.</summary>
    public const string KindName = "robust";

    /// <summary>95th − 5th percentile of the standard normal distribution (2 × 1.6449).</summary>
    private const double NormalSpread = 3.2897072539029457;

    private readonly ColumnScaling _scaling;

    private RobustScaler(ColumnScaling scaling) => _scaling = scaling;

    /// <inheritdoc/>
    public string Kind => KindName;

    /// <inheritdoc/>
    public int Columns => _scaling.Columns;

    /// <summary>Each column's median (0 for a column without values).</summary>
    public IReadOnlyList<double> Median => _scaling.Offset;

    /// <summary>Each column's robust spread (see the class summary; never 0).</summary>
    public IReadOnlyList<double> Spread => _scaling.Divisor;

    /// <summary>Learns each column's median and spread from <paramref name="data"/> [rows, columns], ignoring NaN.</summary>
    /// <exception cref="ArgumentException">The tensor is not two-dimensional with at least one row and column, or holds an infinity.</exception>
    public static RobustScaler Fit(Tensor data)
    {
        ColumnStatistics[] stats = ColumnScaling.Statistics(data, KindName);
        int rows = data.Dim(0), columns = data.Dim(1);
        ReadOnlySpan<float> x = data.Span;
        var median = new double[columns];
        var spread = new double[columns];
        var cells = new double[rows];
        for (int c = 0; c < columns; c++)
        {
            int n = 0;
            for (int r = 0; r < rows; r++)
                if (!float.IsNaN(x[r * columns + c])) cells[n++] = x[r * columns + c];
            Span<double> sorted = cells.AsSpan(0, n);
            sorted.Sort();
            median[c] = n > 0 ? Percentile(sorted, 0.5) : 0;
            double range = n > 0 ? Percentile(sorted, 0.95) - Percentile(sorted, 0.05) : 0;
            double sd = Math.Sqrt(stats[c].Variance);
            spread[c] = range > 0 ? range / NormalSpread : sd > 0 ? sd : 1;
        }
        return new RobustScaler(new ColumnScaling(KindName, median, spread));
    }

    internal static RobustScaler FromParameters(double[] median, double[] spread) => new(new ColumnScaling(KindName, median, spread));

    /// <summary>The <paramref name="p"/>-quantile of sorted values, interpolating linearly (NumPy's default).</summary>
    internal static double Percentile(ReadOnlySpan<double> sorted, double p)
    {
        double position = p * (sorted.Length - 1);
        int below = (int)Math.Floor(position);
        int above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }

    /// <inheritdoc/>
    public Tensor Transform(Tensor data) => _scaling.Transform(data);

    /// <inheritdoc/>
    public Tensor InverseTransform(Tensor scaled) => _scaling.InverseTransform(scaled);

    /// <inheritdoc/>
    public string ToJson() => _scaling.ToJson();
}
