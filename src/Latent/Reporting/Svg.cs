using Latent.Storage;

namespace Latent.Reporting;

/// <summary>
/// A complete, self-contained SVG document made by <see cref="SvgChart"/>. It is its own type (rather than a bare
/// string) so that <see cref="HtmlReport"/> can inline it unescaped knowing every piece of text in it was escaped;
/// it converts to <see cref="string"/> implicitly wherever the markup itself is wanted.
/// </summary>
public sealed class Svg
{
    internal Svg(string markup) => Markup = markup;

    /// <summary>The SVG markup, starting with <c>&lt;svg xmlns=…&gt;</c>.</summary>
    public string Markup { get; }

    /// <summary>Writes the SVG to a file atomically (temporary file, then rename), UTF-8 without a byte-order mark.</summary>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        AtomicFile.WriteAllText(path, Markup);
    }

    /// <summary>The SVG markup.</summary>
    public override string ToString() => Markup;

    /// <summary>The SVG markup.</summary>
    public static implicit operator string(Svg svg) => svg.Markup;
}
