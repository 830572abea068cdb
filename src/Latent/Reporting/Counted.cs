using System.Globalization;

namespace Latent.Reporting;

/// <summary>
/// A count with its noun, as messages and summaries print it: "1 seed", "5 seeds", "60,000 rows" (a thousands separator
/// for people, invariant culture; JSON and CSV output never uses this).
/// </summary>
public static class Counted
{
    /// <param name="many">The plural when it is not <paramref name="one"/> + "s" ("anomalies").</param>
    public static string Of(long count, string one, string? many = null) =>
        string.Create(CultureInfo.InvariantCulture, $"{count:N0} {(count == 1 ? one : many ?? one + "s")}");
}
