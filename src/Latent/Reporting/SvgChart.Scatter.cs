using System.Globalization;
using System.Text;

namespace Latent.Reporting;

public static partial class SvgChart
{
    /// <summary>
    /// A scatter plot of 2-D points, e.g. the codes of an encoder with a 2-D latent space, coloured by an integer
    /// label (one <see cref="ChartPalette"/> colour per distinct label, in ascending label order, with a legend);
    /// without labels every point has the first colour and there is no legend. Points with a non-finite coordinate
    /// (or y ≤ 0 on a log scale) are skipped; all-equal points sit in the middle; no points gives "no data".
    /// </summary>
    /// <param name="xy">The points as <c>n × 2</c> row-major floats (x0, y0, x1, y1, …), the layout codes come out in.</param>
    /// <param name="labels">One label per point, or empty for none.</param>
    /// <param name="options">Titles, size and y scale.</param>
    /// <exception cref="ArgumentException">An odd number of coordinates, a label count that differs from the point count, or a chart smaller than 200×150 pixels.</exception>
    public static Svg Scatter(ReadOnlySpan<float> xy, ReadOnlySpan<int> labels = default, ChartOptions? options = null)
    {
        options ??= new ChartOptions();
        options.Validate();
        if (xy.Length % 2 != 0)
            throw new ArgumentException($"Points come as x, y pairs, but {xy.Length} coordinates is an odd number.", nameof(xy));
        int count = xy.Length / 2;
        if (labels.Length != 0 && labels.Length != count)
            throw new ArgumentException($"There are {count} points but {labels.Length} labels; give one label per point or none.", nameof(labels));

        bool log = options.LogScaleY;
        var points = new List<(double X, double Y, int Label)>(count);
        for (int i = 0; i < count; i++)
            if (ChartAxis.CanShow(xy[2 * i], log: false) && ChartAxis.CanShow(xy[2 * i + 1], log))
                points.Add((xy[2 * i], xy[2 * i + 1], labels.IsEmpty ? 0 : labels[i]));

        int[] categories = labels.IsEmpty ? [0] : labels.ToArray().Distinct().Order().ToArray();
        var legend = labels.IsEmpty
            ? []
            : categories.Select((label, rank) => new LegendEntry(label.ToString(CultureInfo.InvariantCulture), ChartPalette.ColorAt(rank))).ToArray();
        var canvas = new ChartCanvas(options,
            ChartAxis.Fit(points.Select(p => p.X), log: false), ChartAxis.Fit(points.Select(p => p.Y), log), legend, legendAsLines: false);

        // One path per label whose subpaths are zero-length segments drawn with round caps: each becomes a dot.
        // That is a fraction of the size of one <circle> per point, which matters for 60,000 MNIST codes.
        double dot = points.Count <= 500 ? 6 : points.Count <= 5000 ? 4 : 3;
        var rankOf = categories.Select((label, rank) => (label, rank)).ToDictionary(p => p.label, p => p.rank);
        foreach (var group in points.GroupBy(p => p.Label).OrderBy(g => g.Key))
        {
            var path = new StringBuilder();
            foreach (var (px, py, _) in group)
                path.Append('M').Append(ChartCanvas.Num(canvas.X(px))).Append(' ').Append(ChartCanvas.Num(canvas.Y(py))).Append("h0");
            canvas.Append($"<path class=\"points\" data-label=\"{group.Key.ToString(CultureInfo.InvariantCulture)}\" d=\"{path}\" fill=\"none\" stroke=\"{ChartPalette.ColorAt(rankOf[group.Key])}\" ")
                  .Append($"stroke-width=\"{ChartCanvas.Num(dot)}\" stroke-linecap=\"round\" stroke-opacity=\"0.75\"/>");
        }
        if (points.Count == 0) canvas.NoData();
        return canvas.Finish();
    }
}
