using System.Globalization;
using System.Text;
using Latent.Imaging;
using Latent.Storage;

namespace Latent.Reporting;

/// <summary>
/// Builds one self-contained HTML page (inline CSS; images as data URIs; charts as inline SVG), so a run's
/// report is a single file that opens anywhere, offline. All text is HTML-encoded; only <see cref="Svg"/>
/// documents, whose text <see cref="SvgChart"/> has already escaped, go in as markup.
/// </summary>
/// <example>
/// <code>
/// new HtmlReport("Digits autoencoder")
///     .KeyValues(("epochs", "60"), ("test MSE", "0.0123"))
///     .Chart(SvgChart.Line(losses), "Loss per epoch")
///     .Image(PngWriter.Encode(grid), "Originals (top) and reconstructions (bottom)")
///     .Save("report.html");
/// </code>
/// </example>
public sealed class HtmlReport
{
    private const string Style = """
        body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; color: #222; line-height: 1.5; }
        h1, h2, h3, h4, h5, h6 { line-height: 1.2; }
        table { border-collapse: collapse; margin: 1rem 0; }
        th, td { border: 1px solid #ddd; padding: 0.3rem 0.7rem; text-align: left; }
        th { background: #f4f4f4; }
        td.number { text-align: right; font-variant-numeric: tabular-nums; }
        table.key-values th { font-weight: 600; }
        figure { margin: 1rem 0; }
        figure img { image-rendering: pixelated; max-width: 100%; }
        figure svg { max-width: 100%; height: auto; }
        figcaption { color: #555; font-size: 0.9rem; }
        """;

    private readonly StringBuilder _body = new();

    /// <summary>Starts a report; the title is the page title and its first heading.</summary>
    public HtmlReport(string title)
    {
        ArgumentNullException.ThrowIfNull(title);
        Title = title;
    }

    /// <summary>The page's title.</summary>
    public string Title { get; }

    /// <summary>Adds a section heading; level 2 to 6 (level 1 is the title).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The level is outside 2..6.</exception>
    public HtmlReport Heading(string text, int level = 2)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(level, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(level, 6);
        _body.Append($"<h{level}>{Encode(text)}</h{level}>\n");
        return this;
    }

    /// <summary>Adds a paragraph of plain text.</summary>
    public HtmlReport Paragraph(string text)
    {
        _body.Append($"<p>{Encode(text)}</p>\n");
        return this;
    }

    /// <summary>Adds a two-column table of names and values, e.g. the settings of a run.</summary>
    public HtmlReport KeyValues(params (string Key, string Value)[] pairs) =>
        KeyValues(pairs.Select(p => new KeyValuePair<string, string>(p.Key, p.Value)));

    /// <summary>Adds a two-column table of names and values, e.g. a model file's metadata.</summary>
    public HtmlReport KeyValues(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        _body.Append("<table class=\"key-values\">\n");
        foreach (var (key, value) in pairs)
            _body.Append($"<tr><th scope=\"row\">{Encode(key)}</th>{Cell(value)}</tr>\n");
        _body.Append("</table>\n");
        return this;
    }

    /// <summary>Adds a data table; cells that read as numbers are right-aligned.</summary>
    /// <exception cref="ArgumentException">A row has a different number of cells than the header.</exception>
    public HtmlReport Table(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(rows);
        var table = new StringBuilder("<table>\n<thead><tr>");
        foreach (string name in header) table.Append($"<th>{Encode(name)}</th>");
        table.Append("</tr></thead>\n<tbody>\n");
        int index = 0;
        foreach (var row in rows)
        {
            if (row.Count != header.Count)
                throw new ArgumentException($"Row {index} has {row.Count} cells but the header has {header.Count}.", nameof(rows));
            table.Append("<tr>");
            foreach (string value in row) table.Append(Cell(value));
            table.Append("</tr>\n");
            index++;
        }
        _body.Append(table.Append("</tbody>\n</table>\n"));   // appended only once every row has passed the check
        return this;
    }

    /// <summary>Adds a chart made by <see cref="SvgChart"/>, inline, with an optional caption.</summary>
    public HtmlReport Chart(Svg chart, string? caption = null)
    {
        ArgumentNullException.ThrowIfNull(chart);
        _body.Append("<figure>").Append(chart.Markup);
        AppendCaption(caption);
        return this;
    }

    /// <summary>Adds a PNG image, embedded as a base64 data URI, with a caption (also its alternative text unless <paramref name="alt"/> is given).</summary>
    /// <exception cref="ArgumentException">The bytes do not start with the PNG signature.</exception>
    public HtmlReport Image(byte[] png, string caption, string? alt = null)
    {
        ArgumentNullException.ThrowIfNull(png);
        if (!png.AsSpan().StartsWith(PngWriter.Signature))
            throw new ArgumentException($"The {png.Length} bytes given are not a PNG file (no PNG signature).", nameof(png));
        _body.Append($"<figure><img src=\"data:image/png;base64,{Convert.ToBase64String(png)}\" alt=\"{Encode(alt ?? caption)}\">");
        AppendCaption(caption);
        return this;
    }

    /// <summary>Adds an image (e.g. from <see cref="ImageGrid"/>) encoded as PNG.</summary>
    public HtmlReport Image(Raster image, string caption, string? alt = null) => Image(PngWriter.Encode(image), caption, alt);

    /// <summary>The complete page.</summary>
    public string ToHtml() =>
        $"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{Encode(Title)}</title>
        <style>
        {Style}
        </style>
        </head>
        <body>
        <h1>{Encode(Title)}</h1>
        {_body}</body>
        </html>

        """;

    /// <summary>Writes the page as UTF-8 atomically: a temporary file in the same folder, then a rename, so a failure leaves no partial file.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder of <paramref name="path"/> does not exist.</exception>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        AtomicFile.WriteAllText(path, ToHtml());
    }

    private void AppendCaption(string? caption)
    {
        if (caption is not null) _body.Append($"<figcaption>{Encode(caption)}</figcaption>");
        _body.Append("</figure>\n");
    }

    private static string Cell(string? value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
            ? $"<td class=\"number\">{Encode(value)}</td>"
            : $"<td>{Encode(value)}</td>";

    private static string Encode(string? text) => TextEscaping.Escape(text);
}
