using System.Text;

namespace Latent.Bench.Reporting;

// The Markdown form: report.md, which links the charts saved beside it and ends with the README's snippet.
public sealed partial class BenchReport
{
    /// <summary>The whole report as Markdown; the charts are linked as the files <see cref="Save"/> writes.</summary>
    public string ToMarkdown()
    {
        var md = new StringBuilder();
        md.Append($"# Latent benchmarks, {Date:yyyy-MM-dd}\n\n");
        md.Append($"Machine: {MachineLine()}.\n\n{LoadLine()}\n\n");
        md.Append("## Results\n\n").Append(Legend).Append("\n\n");
        AppendTable(md, Header, Rows, rightAligned: [2, 4, 5]);
        md.Append('\n').Append(PeerSummary()).Append("\n\n");
        if (Charts.Count > 0)
        {
            md.Append("## Charts\n\n");
            foreach (ReportChart chart in Charts) md.Append($"![{chart.Title}]({chart.FileName})\n\n{chart.Caption}\n\n");
        }
        md.Append("## Runs\n\n");
        AppendTable(md, RunHeader, RunRows(), rightAligned: [2, 4, 5]);
        md.Append("\n## For the README\n\nPaste this into the README's benchmark section:\n\n````markdown\n").Append(ReadmeSnippet()).Append("````\n");
        return md.ToString();
    }

    /// <summary>
    /// The README's benchmark figures: the date and machine, every result that is not a detail with its ratio, and
    /// which benchmarks have a peer implementation and which compare only with published numbers.
    /// </summary>
    public string ReadmeSnippet()
    {
        var md = new StringBuilder();
        md.Append($"Latest figures ({Date:yyyy-MM-dd}; {MachineLine()}")
          .Append(_runs.Any(r => r.Quick) ? "; includes --quick runs, which are smoke tests and not for quoting" : "")
          .Append($"). Ratios are ours / the peer's; ↑ higher is better, ↓ lower is better. The full report with charts is `bench-results/{Date:yyyy-MM-dd}/report.html`.\n\n");
        var rows = _runs.SelectMany(run => run.Results.Where(r => !r.Detail).Select(r => (IReadOnlyList<string>)
        [
            run.Benchmark,
            Measure(r),
            Figures.Format(r.Ours, r.OursStd),
            r.Peer is null ? "—" : $"{PeerName(r)}: {Figures.Format(r.PeerValue, r.PeerStd)}",
            Figures.Ratio(r.Ratio),
            r.Comparable && !run.Quick ? "yes" : "no",
        ]));
        AppendTable(md, ["benchmark", "measure", "ours", "peer", "ours / peer", "comparable"], rows, rightAligned: [2, 4]);
        md.Append('\n').Append(PeerSummary()).Append('\n');
        return md.ToString();
    }

    /// <param name="rightAligned">The columns of figures, aligned right.</param>
    private static void AppendTable(StringBuilder md, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows, int[] rightAligned)
    {
        md.Append("| ").Append(string.Join(" | ", header.Select(Escape))).Append(" |\n");
        md.Append("| ").Append(string.Join(" | ", header.Select((_, i) => rightAligned.Contains(i) ? "---:" : "---"))).Append(" |\n");
        foreach (var row in rows) md.Append("| ").Append(string.Join(" | ", row.Select(Escape))).Append(" |\n");
    }

    /// <summary>Keeps a cell's text inside its cell: pipes escaped, line breaks as spaces.</summary>
    private static string Escape(string text) => text.Replace("|", "\\|").Replace("\r", "").Replace('\n', ' ');
}
