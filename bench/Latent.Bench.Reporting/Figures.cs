using System.Globalization;

namespace Latent.Bench.Reporting;

/// <summary>Numbers as the report shows them: invariant culture, no thousands separators, a fixed number of significant digits.</summary>
internal static class Figures
{
    /// <summary>A figure to four significant digits, with "± std" at the same decimals when given; "n/a" when missing or not finite.</summary>
    public static string Format(double? value, double? std = null)
    {
        if (value is not { } v || !double.IsFinite(v)) return "n/a";
        int decimals = Decimals(v, 4);
        string text = v.ToString("F" + decimals, CultureInfo.InvariantCulture);
        return std is { } s && double.IsFinite(s) ? $"{text} ± {s.ToString("F" + decimals, CultureInfo.InvariantCulture)}" : text;
    }

    /// <summary>A ratio to three significant digits: 1.04, 12.3, 0.0512.</summary>
    public static string Ratio(double? ratio) =>
        ratio is { } r && double.IsFinite(r) ? r.ToString("F" + Decimals(r, 3), CultureInfo.InvariantCulture) : "—";

    private static int Decimals(double value, int significant) =>
        value == 0 ? significant - 1 : Math.Clamp(significant - 1 - (int)Math.Floor(Math.Log10(Math.Abs(value))), 0, 6);
}
