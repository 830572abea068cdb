using System.Text;

namespace Latent.Reporting;

/// <summary>
/// Charts as self-contained SVG documents (no scripts, fonts or external references): numbers are written in the
/// invariant culture and all text is XML-escaped, so the result parses as XML and can be inlined into HTML.
/// </summary>
public static partial class SvgChart
{
    // Beyond this many points per series, markers would only blur the line.
    private const int MaxMarkedPoints = 60;

    /// <summary>
    /// A line chart with one line per series (e.g. training and validation loss per epoch), nice tick values, axis
    /// labels and a legend. Points that cannot be shown (NaN, infinities, and y ≤ 0 on a log scale) are skipped and
    /// the line joins their neighbours. Without any showable point the chart says "no data".
    /// </summary>
    /// <example>
    /// <code>
    /// Svg chart = SvgChart.Line(
    ///     [ChartSeries.PerEpoch("train", trainLoss), ChartSeries.PerEpoch("validation", validationLoss)],
    ///     new ChartOptions { Title = "Loss", XLabel = "epoch", YLabel = "loss", LogScaleY = true });
    /// </code>
    /// </example>
    /// <param name="bands">Stretches of x to shade behind the lines (flagged stretches, labelled windows), each kind in its own colour after the series'.</param>
    /// <exception cref="ArgumentException">The options give a chart smaller than 200×150 pixels.</exception>
    public static Svg Line(IReadOnlyList<ChartSeries> series, ChartOptions? options = null, IReadOnlyList<ChartBand>? bands = null)
    {
        ArgumentNullException.ThrowIfNull(series);
        options ??= new ChartOptions();
        options.Validate();
        bool log = options.LogScaleY;
        var visible = series.Select(s => VisiblePoints(s, log)).ToArray();
        var x = ChartAxis.Fit(visible.SelectMany(points => points.Select(p => p.X)), log: false);
        var y = ChartAxis.Fit(visible.SelectMany(points => points.Select(p => p.Y)), log);
        string[] kinds = [.. (bands ?? []).Select(b => b.Name).Distinct()];
        string BandColor(string kind) => ChartPalette.ColorAt(series.Count + Array.IndexOf(kinds, kind));
        LegendEntry[] legend = [.. series.Select((s, i) => new LegendEntry(s.Name, ChartPalette.ColorAt(i))), .. kinds.Select(k => new LegendEntry(k, BandColor(k)))];
        var canvas = new ChartCanvas(options, x, y, legend, legendAsLines: true);
        foreach (ChartBand band in bands ?? []) canvas.Band(band.From, band.To, BandColor(band.Name));

        for (int i = 0; i < series.Count; i++)
        {
            string color = ChartPalette.ColorAt(i);
            var path = new StringBuilder();
            foreach (var (px, py) in visible[i])
                path.Append(path.Length == 0 ? 'M' : 'L').Append(ChartCanvas.Num(canvas.X(px))).Append(' ').Append(ChartCanvas.Num(canvas.Y(py)));
            canvas.Append($"<path class=\"series\" data-name=\"{TextEscaping.Escape(series[i].Name)}\" d=\"{path}\" ")
                  .Append($"fill=\"none\" stroke=\"{color}\" stroke-width=\"2\" stroke-linejoin=\"round\" stroke-linecap=\"round\"/>");
            if (visible[i].Count <= MaxMarkedPoints)   // also makes a single point visible, which a path alone is not
                foreach (var (px, py) in visible[i])
                    canvas.Append($"<circle cx=\"{ChartCanvas.Num(canvas.X(px))}\" cy=\"{ChartCanvas.Num(canvas.Y(py))}\" r=\"2.5\" fill=\"{color}\"/>");
        }
        if (visible.All(points => points.Count == 0)) canvas.NoData();
        return canvas.Finish();
    }

    private static List<(double X, double Y)> VisiblePoints(ChartSeries series, bool logY)
    {
        var points = new List<(double, double)>(series.Y.Count);
        for (int i = 0; i < series.Y.Count; i++)
            if (ChartAxis.CanShow(series.X[i], log: false) && ChartAxis.CanShow(series.Y[i], logY))
                points.Add((series.X[i], series.Y[i]));
        return points;
    }
}
