namespace Latent.Bench.Reporting;

/// <summary>
/// A measure along a sweep, one line per side: test loss per epoch for ours and PyTorch, recall@10 against queries/s
/// for ours, FAISS and hnswlib. The report draws each curve as a line chart.
/// </summary>
/// <param name="Name">The chart's title, e.g. "test loss per epoch".</param>
/// <param name="Sides">One line per side; their names ("ours", "PyTorch", ...) make the legend.</param>
public sealed record BenchCurve(string Name, string XLabel, string YLabel, IReadOnlyList<CurveSide> Sides)
{
    /// <summary>A logarithmic y axis, e.g. for queries/s spanning decades.</summary>
    public bool LogY { get; init; }
}

/// <summary>One side's line of a <see cref="BenchCurve"/>: y at each x, in the order drawn.</summary>
public sealed record CurveSide(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y)
{
    /// <summary>A line over epochs 1, 2, …, n.</summary>
    public static CurveSide PerEpoch(string name, IEnumerable<double> values)
    {
        double[] y = [.. values];
        return new CurveSide(name, [.. Enumerable.Range(1, y.Length).Select(e => (double)e)], y);
    }
}
