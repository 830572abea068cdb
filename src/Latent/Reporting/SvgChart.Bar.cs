using System.Globalization;

namespace Latent.Reporting;

public static partial class SvgChart
{
    /// <summary>
    /// A bar chart with one labelled bar per value, in the order given, each drawn from <paramref name="baseline"/>
    /// to its value (down when the value is below it) and a line across the plot at the baseline. A baseline of 1
    /// with <see cref="ChartOptions.LogScaleY"/> suits ratios: 2× and ½× then stand equally far above and below
    /// parity. Labels run slanted under the bars; a bar's tooltip gives its label and value. Without any showable
    /// value the chart says "no data".
    /// </summary>
    /// <example>
    /// <code>
    /// Svg chart = SvgChart.Bar([new ChartBar("dense: train speed", 1.8), new ChartBar("vae: train speed", 0.9)],
    ///     new ChartOptions { Title = "Speed, ours / PyTorch", LogScaleY = true }, baseline: 1);
    /// </code>
    /// </example>
    /// <exception cref="ArgumentException">The baseline cannot be shown (not finite, or ≤ 0 on a log scale), or the options give a chart smaller than 200×150 pixels.</exception>
    public static Svg Bar(IReadOnlyList<ChartBar> bars, ChartOptions? options = null, double baseline = 0)
    {
        ArgumentNullException.ThrowIfNull(bars);
        options ??= new ChartOptions();
        options.Validate();
        bool log = options.LogScaleY;
        if (!ChartAxis.CanShow(baseline, log))
            throw new ArgumentException(log
                ? $"Bars on a log scale need a baseline above 0; got {baseline.ToString(CultureInfo.InvariantCulture)}."
                : $"The baseline of the bars must be a finite number; got {baseline.ToString(CultureInfo.InvariantCulture)}.", nameof(baseline));

        bool[] shown = [.. bars.Select(b => ChartAxis.CanShow(b.Value, log))];
        var y = ChartAxis.Fit(bars.Where((_, i) => shown[i]).Select(b => b.Value).Append(baseline), log);
        var canvas = new ChartCanvas(options, ChartAxis.Categories(bars.Count), y, legend: [], legendAsLines: false,
            categoryLabelChars: bars.Count == 0 ? 0 : bars.Max(b => b.Label.Length));

        double slot = canvas.X(1) - canvas.X(0), width = slot * 0.7, bottom = canvas.Y(baseline);
        string color = ChartPalette.ColorAt(0);
        for (int i = 0; i < bars.Count; i++)
        {
            double centre = canvas.X(i + 0.5);
            canvas.CategoryLabel(centre, bars[i].Label);
            if (!shown[i]) continue;
            double top = canvas.Y(bars[i].Value);
            string tooltip = $"{bars[i].Label}: {bars[i].Value.ToString("G4", CultureInfo.InvariantCulture)}";
            canvas.Append($"<rect class=\"bar\" x=\"{ChartCanvas.Num(centre - width / 2)}\" y=\"{ChartCanvas.Num(Math.Min(top, bottom))}\" ")
                  .Append($"width=\"{ChartCanvas.Num(width)}\" height=\"{ChartCanvas.Num(Math.Abs(bottom - top))}\" fill=\"{color}\">")
                  .Append($"<title>{TextEscaping.Escape(tooltip)}</title></rect>");
        }
        canvas.Append($"<line class=\"baseline\" x1=\"{ChartCanvas.Num(canvas.X(0))}\" y1=\"{ChartCanvas.Num(bottom)}\" ")
              .Append($"x2=\"{ChartCanvas.Num(canvas.X(Math.Max(1, bars.Count)))}\" y2=\"{ChartCanvas.Num(bottom)}\" stroke=\"#333333\" stroke-width=\"1.5\"/>");
        if (!shown.Contains(true)) canvas.NoData();
        return canvas.Finish();
    }
}
