using System.Text.RegularExpressions;
using Latent.Reporting;

namespace Latent.Bench.Reporting;

/// <summary>A chart of the report with the file name it is saved under beside the Markdown report.</summary>
public sealed record ReportChart(string FileName, string Title, string Caption, Svg Svg);

/// <summary>
/// The report of a set of benchmark runs on one machine: a table of every result (ours, the peer's figure, the ratio,
/// whether the two are comparable), the runs with the load other processes put on the machine, a bar chart of the
/// speed ratios against peer implementations and a line chart per curve. Written as Markdown (with a snippet for the
/// README) and as one self-contained HTML page.
/// </summary>
public sealed partial class BenchReport
{
    /// <summary>The columns of <see cref="Rows"/>.</summary>
    public static IReadOnlyList<string> Header { get; } =
        ["benchmark", "measure", "ours", "peer", "peer's figure", "ours / peer", "comparable", "note"];

    private readonly IReadOnlyList<BenchRun> _runs;

    /// <param name="runs">In the order to show them.</param>
    public BenchReport(IReadOnlyList<BenchRun> runs, MachineInfo machine, DateOnly date)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(machine);
        _runs = runs;
        Machine = machine;
        Date = date;
        Rows = [.. runs.SelectMany(run => run.Results.Select(result => Row(run, result)))];
        Charts = MakeCharts();
    }

    public MachineInfo Machine { get; }

    public DateOnly Date { get; }

    /// <summary>One row per result of every run, cells as named by <see cref="Header"/>.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Rows { get; }

    /// <summary>
    /// The speed ratios as bars (the summary's, then every one when there are details), then a line chart per curve.
    /// </summary>
    public IReadOnlyList<ReportChart> Charts { get; }

    /// <summary>Writes report.md, report.html and the charts as SVG files into <paramref name="folder"/>, creating it.</summary>
    public void Save(string folder)
    {
        Directory.CreateDirectory(folder);
        foreach (ReportChart chart in Charts) chart.Svg.Save(Path.Combine(folder, chart.FileName));
        Latent.Storage.AtomicFile.WriteAllText(Path.Combine(folder, "report.md"), ToMarkdown());
        ToHtml().Save(Path.Combine(folder, "report.html"));
    }

    private static IReadOnlyList<string> Row(BenchRun run, BenchResult r) =>
    [
        run.Benchmark,
        Measure(r),
        Figures.Format(r.Ours, r.OursStd),
        PeerName(r),
        r.Peer is null ? "—" : Figures.Format(r.PeerValue, r.PeerStd),
        Figures.Ratio(r.Ratio),
        run.Quick ? "no (quick run)" : r.Comparable ? "yes" : "no",
        string.Join("; ", new[] { r.Note, r.OursWorst is { } worst ? $"our worst seed {Figures.Format(worst)}" : null }.Where(n => n is not null)),
    ];

    /// <summary>"train speed (samples/s ↑)", "test loss (nats ↓, 3 seeds)".</summary>
    private static string Measure(BenchResult r)
    {
        string direction = r.HigherIsBetter ? "↑" : "↓";
        string unit = r.Unit.Length > 0 ? $"{r.Unit} {direction}" : direction;
        return r.Seeds is { } seeds ? $"{r.Measure} ({unit}, {seeds} seeds)" : $"{r.Measure} ({unit})";
    }

    private static string PeerName(BenchResult r) => r.Peer is null ? "—" : r.PeerKind switch
    {
        PeerKind.Published => $"{r.Peer}, published",
        PeerKind.Baseline => $"{r.Peer}, our baseline",
        _ => r.Peer,
    };

    private List<ReportChart> MakeCharts()
    {
        var charts = new List<ReportChart>();
        var speeds = _runs
            .SelectMany(run => run.Results
                .Where(r => r.PeerKind == PeerKind.Implementation && r.Unit.EndsWith("/s", StringComparison.Ordinal) && r.Ratio is not null)
                .Select(r => (r.Detail, Bar: new ChartBar($"{run.Benchmark}: {r.Measure}", r.Ratio!.Value))))
            .ToList();
        const string Caption = "Each bar is our speed over the peer's on the same work, measured in the same run; the line is parity. " +
            "On the log scale 2× and ½× stand equally far from it.";
        if (speeds.Any(s => !s.Detail))
            charts.Add(SpeedChart("speed-ratios.svg", "Speed, ours / peer (above 1: ours faster)", Caption,
                [.. speeds.Where(s => !s.Detail).Select(s => s.Bar)]));
        if (speeds.Any(s => s.Detail))
            charts.Add(SpeedChart("speed-ratios-all.svg", "Every speed, ours / peer", Caption + " With the detail rows.", [.. speeds.Select(s => s.Bar)]));

        var names = new HashSet<string>(charts.Select(c => c.FileName));
        foreach (BenchRun run in _runs)
            foreach (BenchCurve curve in run.Curves)
            {
                var series = curve.Sides.Select(side => new ChartSeries(side.Name, side.X, side.Y)).ToArray();
                var options = new ChartOptions { Title = $"{run.Benchmark}: {curve.Name}", XLabel = curve.XLabel, YLabel = curve.YLabel, LogScaleY = curve.LogY };
                string stem = Slug($"{run.Benchmark}-{curve.Name}"), fileName = stem + ".svg";
                for (int n = 2; !names.Add(fileName); n++) fileName = $"{stem}-{n}.svg";
                charts.Add(new ReportChart(fileName, options.Title, $"{run.Benchmark}: {curve.Name}, {string.Join(" vs ", curve.Sides.Select(s => s.Name))}.",
                    SvgChart.Line(series, options)));
            }
        return charts;
    }

    private static ReportChart SpeedChart(string fileName, string title, string caption, ChartBar[] bars)
    {
        var options = new ChartOptions
        {
            Title = title, YLabel = "ours / peer", LogScaleY = true, Width = Math.Clamp(160 + 28 * bars.Length, 560, 960), Height = 480,
        };
        return new ReportChart(fileName, title, caption, SvgChart.Bar(bars, options, baseline: 1));
    }

    /// <summary>A file-name-safe form: lower-case letters and digits joined by single hyphens.</summary>
    private static string Slug(string text)
    {
        string slug = Regex.Replace(text.ToLowerInvariant(), "[^a-z0-9]+", "-").Trim('-');
        return slug.Length == 0 ? "chart" : slug;
    }
}
