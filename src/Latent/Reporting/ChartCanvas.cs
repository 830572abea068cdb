using System.Globalization;
using System.Text;

namespace Latent.Reporting;

/// <summary>A legend line: the text and the colour of its swatch.</summary>
internal readonly record struct LegendEntry(string Text, string Color);

/// <summary>
/// The parts every chart shares: the SVG root, title, plot frame with grid lines, ticks and tick labels, axis
/// labels and a legend to the right of the plot (outside it, so it never hides data). Charts add their marks in
/// between and map data to pixels with <see cref="X"/> and <see cref="Y"/>. A chart of categories (bars) labels
/// them slanted under the x axis with <see cref="CategoryLabel"/>; the canvas leaves room for them.
/// </summary>
internal sealed class ChartCanvas
{
    private const double LegendRowHeight = 18, CharWidth = 7;   // CharWidth: a rough average at 12 px sans-serif
    private const int MaxCategoryChars = 32;
    private static readonly double Slant = Math.Sqrt(0.5);   // category labels run at 45°: sin = cos

    private readonly StringBuilder _svg = new();
    private readonly ChartAxis _x, _y;
    private readonly double _left, _top, _plotWidth, _plotHeight;
    private readonly int _legendChars;   // longer legend texts are shortened so they stay inside the chart
    private readonly int _categoryChars;   // likewise category labels

    /// <param name="categoryLabelChars">The length of the longest category label, or 0 for a chart without them.</param>
    public ChartCanvas(ChartOptions options, ChartAxis x, ChartAxis y, IReadOnlyList<LegendEntry> legend, bool legendAsLines,
        int categoryLabelChars = 0)
    {
        (_x, _y) = (x, y);
        int width = options.Width, height = options.Height;
        double legendWidth = legend.Count == 0 ? 0 : Math.Min(28 + CharWidth * legend.Max(e => e.Text.Length), width / 3.0);
        _legendChars = Math.Max(1, (int)((legendWidth - 28) / CharWidth));
        // Labels may take at most 40% of the height, so the plot keeps the rest.
        _categoryChars = Math.Min(Math.Min(categoryLabelChars, MaxCategoryChars), (int)(height * 0.4 / (CharWidth * Slant)));
        double slanted = _categoryChars * CharWidth * Slant;   // how far the longest label reaches down and left
        _left = Math.Max(options.YLabel is null ? 56 : 72, slanted + 4);
        _top = options.Title is null ? 14 : 36;
        double bottom = (options.XLabel is null ? 30 : 48) + slanted;
        _plotWidth = width - _left - 16 - legendWidth;
        _plotHeight = height - _top - bottom;

        _svg.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" ")
            .Append("font-family=\"system-ui, sans-serif\" font-size=\"12\" role=\"img\">");
        if (options.Title is not null) _svg.Append($"<title>{TextEscaping.Escape(options.Title)}</title>");
        _svg.Append($"<rect width=\"{width}\" height=\"{height}\" fill=\"#ffffff\"/>");
        if (options.Title is not null)
            Text(_left + _plotWidth / 2, 22, options.Title, "middle", "font-size=\"15\" font-weight=\"600\"");
        DrawAxes(options, height);
        DrawLegend(legend, legendAsLines);
    }

    /// <summary>The horizontal pixel position of an x value.</summary>
    public double X(double value) => _left + _x.Fraction(value) * _plotWidth;

    /// <summary>The vertical pixel position of a y value (larger values higher up).</summary>
    public double Y(double value) => _top + (1 - _y.Fraction(value)) * _plotHeight;

    /// <summary>Shades the plot's full height between two x values (clipped to the plot).</summary>
    public void Band(double from, double to, string color)
    {
        double left = Math.Max(_left, X(Math.Min(from, to))), right = Math.Min(_left + _plotWidth, X(Math.Max(from, to)));
        if (right <= left) right = Math.Min(_left + _plotWidth, left + 1);   // a stretch of one point stays visible
        Append($"<rect class=\"band\" x=\"{Num(left)}\" y=\"{Num(_top)}\" width=\"{Num(right - left)}\" height=\"{Num(_plotHeight)}\" fill=\"{color}\" fill-opacity=\"0.25\"/>");
    }

    /// <summary>Appends raw SVG made by a chart; any text in it must already be escaped.</summary>
    public ChartCanvas Append(string markup)
    {
        _svg.Append(markup);
        return this;
    }

    /// <summary>Says "no data" in the middle of the plot, for inputs with nothing to draw.</summary>
    public void NoData() => Text(_left + _plotWidth / 2, _top + _plotHeight / 2, "no data", "middle", "fill=\"#888888\"");

    /// <summary>Labels the category centred at <paramref name="x"/>: slanted text ending just under the x axis.</summary>
    public void CategoryLabel(double x, string label)
    {
        string text = label.Length <= _categoryChars ? label : label[..Math.Max(0, _categoryChars - 1)] + "…";
        double y = _top + _plotHeight + 10;
        Text(x, y, text, "end", $"transform=\"rotate(-45 {Num(x)} {Num(y)})\"");
    }

    public Svg Finish() => new(_svg.Append("</svg>").ToString());

    /// <summary>A number for an SVG attribute: invariant culture, at most two decimals (a hundredth of a pixel is plenty).</summary>
    public static string Num(double value) => Math.Round(value, 2).ToString("0.##", CultureInfo.InvariantCulture);

    private void DrawAxes(ChartOptions options, int height)
    {
        double right = _left + _plotWidth, bottom = _top + _plotHeight;
        _svg.Append("<g stroke=\"#e5e5e5\" stroke-width=\"1\">");
        foreach (double t in _x.Ticks) Line(X(t), _top, X(t), bottom);
        foreach (double t in _y.Ticks) Line(_left, Y(t), right, Y(t));
        _svg.Append("</g><g stroke=\"#333333\" stroke-width=\"1\">");
        foreach (double t in _x.Ticks) Line(X(t), bottom, X(t), bottom + 5);
        foreach (double t in _y.Ticks) Line(_left - 5, Y(t), _left, Y(t));
        _svg.Append($"<rect x=\"{Num(_left)}\" y=\"{Num(_top)}\" width=\"{Num(_plotWidth)}\" height=\"{Num(_plotHeight)}\" fill=\"none\"/></g>");

        foreach (double t in _x.Ticks) Text(X(t), bottom + 18, _x.Label(t), "middle");
        foreach (double t in _y.Ticks) Text(_left - 8, Y(t), _y.Label(t), "end", "dy=\"0.32em\"");
        if (options.XLabel is not null) Text(_left + _plotWidth / 2, height - 10, options.XLabel, "middle");
        if (options.YLabel is not null)
        {
            double cx = _left - 56, cy = _top + _plotHeight / 2;   // beside the tick labels, however wide the margin
            Text(cx, cy, options.YLabel, "middle", $"dy=\"0.32em\" transform=\"rotate(-90 {Num(cx)} {Num(cy)})\"");
        }
    }

    private void DrawLegend(IReadOnlyList<LegendEntry> legend, bool asLines)
    {
        if (legend.Count == 0) return;
        double x = _left + _plotWidth + 14;
        int fits = Math.Max(1, (int)(_plotHeight / LegendRowHeight));
        int shown = legend.Count <= fits ? legend.Count : fits - 1;   // keep a row to say how many are missing
        _svg.Append("<g class=\"legend\">");
        for (int i = 0; i < shown; i++)
        {
            double y = _top + 8 + i * LegendRowHeight;
            string color = legend[i].Color;
            _svg.Append(asLines
                ? $"<line x1=\"{Num(x)}\" y1=\"{Num(y)}\" x2=\"{Num(x + 16)}\" y2=\"{Num(y)}\" stroke=\"{color}\" stroke-width=\"2.5\"/>"
                : $"<circle cx=\"{Num(x + 8)}\" cy=\"{Num(y)}\" r=\"4.5\" fill=\"{color}\"/>");
            string text = legend[i].Text.Length <= _legendChars ? legend[i].Text : legend[i].Text[..(_legendChars - 1)] + "…";
            Text(x + 22, y, text, "start", "dy=\"0.32em\"");
        }
        if (shown < legend.Count)
            Text(x, _top + 8 + shown * LegendRowHeight, $"+{legend.Count - shown} more", "start", "dy=\"0.32em\" fill=\"#888888\"");
        _svg.Append("</g>");
    }

    private void Line(double x1, double y1, double x2, double y2) =>
        _svg.Append($"<line x1=\"{Num(x1)}\" y1=\"{Num(y1)}\" x2=\"{Num(x2)}\" y2=\"{Num(y2)}\"/>");

    private void Text(double x, double y, string text, string anchor, string attributes = "") =>
        _svg.Append($"<text x=\"{Num(x)}\" y=\"{Num(y)}\" text-anchor=\"{anchor}\"{(attributes.Length > 0 ? " " + attributes : "")}>{TextEscaping.Escape(text)}</text>");
}
