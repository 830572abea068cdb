using System.Globalization;
using Latent.Reporting;

namespace Latent.Applications.AnomalyDetection;

/// <summary>
/// An HTML page of scored rows in their order (a time series): the score of every row with the threshold, the flagged
/// stretches shaded and, when labels are given, the labelled stretches too; for a series of one column, also its values
/// with the same stretches, so that a reader sees what the detector saw.
/// </summary>
public static class AnomalyReportPage
{
    /// <param name="scores">One score per row, in order.</param>
    /// <param name="threshold">Scores above it are flagged.</param>
    /// <param name="values">The series' values (one column), or null.</param>
    /// <param name="valueName">The values' column name.</param>
    /// <param name="labelled">Whether each row is labelled an anomaly, or null without labels.</param>
    /// <exception cref="ArgumentException">Values or labels of another length than the scores.</exception>
    public static HtmlReport Build(IReadOnlyList<float> scores, float threshold, IReadOnlyList<double>? values = null, string valueName = "value",
        IReadOnlyList<bool>? labelled = null)
    {
        ArgumentNullException.ThrowIfNull(scores);
        if (values is not null && values.Count != scores.Count) throw new ArgumentException($"{values.Count} values for {scores.Count} scores.");
        if (labelled is not null && labelled.Count != scores.Count) throw new ArgumentException($"{labelled.Count} labels for {scores.Count} scores.");
        bool[] flagged = [.. scores.Select(s => s > threshold)];
        List<ChartBand> bands = [.. Stretches(flagged, "flagged"), .. labelled is null ? [] : Stretches(labelled, "labelled anomaly")];
        double[] rows = [.. Enumerable.Range(0, scores.Count).Select(r => (double)r)];

        var page = new HtmlReport("Anomaly scores");
        page.KeyValues(("rows", scores.Count.ToString(CultureInfo.InvariantCulture)), ("threshold", threshold.ToString("G4", CultureInfo.InvariantCulture)),
            ("flagged rows", flagged.Count(f => f).ToString(CultureInfo.InvariantCulture)),
            ("flagged stretches", bands.Count(b => b.Name == "flagged").ToString(CultureInfo.InvariantCulture)));
        if (labelled is not null)
        {
            var labelledStretches = Stretches(labelled, "").ToList();
            int hit = labelledStretches.Count(s => Enumerable.Range((int)s.From, (int)(s.To - s.From) + 1).Any(r => flagged[r]));
            page.KeyValues(("labelled stretches hit", $"{hit} of {labelledStretches.Count}"),
                ("flagged rows outside labelled stretches", flagged.Where((f, r) => f && !labelled[r]).Count().ToString(CultureInfo.InvariantCulture)));
        }
        var options = new ChartOptions { Width = 960, Height = 360, XLabel = "row" };
        if (values is not null)
            page.Chart(SvgChart.Line([new ChartSeries(valueName, rows, values)], options with { Title = valueName, YLabel = valueName }, bands),
                "The series, with the flagged stretches" + (labelled is null ? "" : " and the labelled ones"));
        page.Chart(SvgChart.Line([new ChartSeries("score", rows, [.. scores.Select(s => (double)s)]), new ChartSeries("threshold", [0, Math.Max(0, scores.Count - 1)], [threshold, threshold])],
            options with { Title = "Score per row", YLabel = "score" }, bands), "Each row's score; above the threshold it is flagged");
        return page;
    }

    /// <summary>The runs of consecutive true rows, as bands from the first row of a run to its last.</summary>
    private static IEnumerable<ChartBand> Stretches(IReadOnlyList<bool> marked, string name)
    {
        for (int r = 0; r < marked.Count; r++)
        {
            if (!marked[r]) continue;
            int start = r;
            while (r + 1 < marked.Count && marked[r + 1]) r++;
            yield return new ChartBand(name, start, r);
        }
    }
}
