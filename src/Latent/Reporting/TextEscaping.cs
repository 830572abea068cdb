using System.Text;

namespace Latent.Reporting;

/// <summary>Makes arbitrary text safe inside HTML and SVG (XML) text and attribute values.</summary>
internal static class TextEscaping
{
    /// <summary>
    /// Escapes the five markup characters (&amp; &lt; &gt; &quot; ') and replaces characters that XML 1.0 forbids
    /// (control characters, lone surrogates, U+FFFE/U+FFFF) with U+FFFD, so that the result always parses.
    /// </summary>
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var result = new StringBuilder(text.Length + 16);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            switch (c)
            {
                case '&': result.Append("&amp;"); break;
                case '<': result.Append("&lt;"); break;
                case '>': result.Append("&gt;"); break;
                case '"': result.Append("&quot;"); break;
                case '\'': result.Append("&#39;"); break;
                default:
                    if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                        result.Append(c).Append(text[++i]);
                    else if (IsAllowedInXml(c))
                        result.Append(c);
                    else
                        result.Append('\uFFFD');
                    break;
            }
        }
        return result.ToString();
    }

    private static bool IsAllowedInXml(char c) =>
        c is '\t' or '\n' or '\r' || (c >= ' ' && !char.IsSurrogate(c) && c != '\uFFFE' && c != '\uFFFF');
}
