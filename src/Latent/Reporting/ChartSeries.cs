namespace Latent.Reporting;

/// <summary>One named line of a <see cref="SvgChart.Line"/> chart: y values at x positions.</summary>
public sealed class ChartSeries
{
    /// <exception cref="ArgumentException">X and Y have different lengths.</exception>
    public ChartSeries(string name, IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Count != y.Count)
            throw new ArgumentException($"Series '{name}' has {x.Count} x values but {y.Count} y values.", nameof(y));
        (Name, X, Y) = (name, x, y);
    }

    /// <summary>A series over epochs 1, 2, …, n, e.g. a loss per epoch; use NaN for epochs without a value.</summary>
    public static ChartSeries PerEpoch(string name, IEnumerable<double> values)
    {
        double[] y = values.ToArray();
        return new ChartSeries(name, Enumerable.Range(1, y.Length).Select(e => (double)e).ToArray(), y);
    }

    /// <summary>Shown in the legend.</summary>
    public string Name { get; }

    /// <summary>The x coordinates of the points.</summary>
    public IReadOnlyList<double> X { get; }

    /// <summary>Non-finite values (and values ≤ 0 on a log scale) are skipped; the line joins the points either side.</summary>
    public IReadOnlyList<double> Y { get; }
}
