using System.Text;

namespace Latent.Cli.Terminal;

/// <summary>Draws small grayscale images (values in [0, 1]) side by side with characters of increasing ink.</summary>
internal static class AsciiImages
{
    private const string Shades = " .:-=+*#%@";

    public static string Render(IReadOnlyList<float[]> images, int side)
    {
        var sb = new StringBuilder();
        for (int row = 0; row < side; row++)
        {
            for (int i = 0; i < images.Count; i++)
            {
                for (int col = 0; col < side; col++)
                {
                    float v = Math.Clamp(images[i][row * side + col], 0f, 1f);
                    char c = Shades[(int)MathF.Round(v * (Shades.Length - 1))];
                    sb.Append(c).Append(c);
                }
                sb.Append(i % 2 == 1 ? "      " : "  ");
            }
            sb.AppendLine();
        }
        return sb.ToString();
    }
}
