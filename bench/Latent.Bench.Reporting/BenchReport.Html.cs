using Latent.Reporting;

namespace Latent.Bench.Reporting;

// The HTML form: one self-contained page with the charts inline.
public sealed partial class BenchReport
{
    public HtmlReport ToHtml()
    {
        var html = new HtmlReport($"Latent benchmarks, {Date:yyyy-MM-dd}");
        html.Heading("Machine");
        html.KeyValues(
        [
            ("CPU", Machine.CpuModel),
            ("logical cores", Machine.LogicalCores.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("runtime", Machine.Runtime),
            .. Machine.FmaPeaks.Select(p => ($"FMA peak, {p.Threads} thread{(p.Threads == 1 ? "" : "s")} (GFLOP/s)", Figures.Format(p.Gflops))),
        ]);
        html.Paragraph(LoadLine());
        html.Heading("Results");
        html.Paragraph(Legend);
        html.Table(Header, Rows);
        html.Paragraph(PeerSummary());
        if (Charts.Count > 0)
        {
            html.Heading("Charts");
            foreach (ReportChart chart in Charts) html.Chart(chart.Svg, chart.Caption);
        }
        html.Heading("Runs");
        html.Table(RunHeader, RunRows());
        return html;
    }
}
