using System.Text.RegularExpressions;
using System.Xml.Linq;
using Latent.Bench.Reporting;
using Latent.Reporting;

namespace Latent.Tests.Bench;

public class BenchReportTests
{
    private static readonly XNamespace SvgNs = "http://www.w3.org/2000/svg";

    private static readonly MachineInfo Machine = new("Test CPU 9000", 2, ".NET 10.0.0", [new FmaPeak(1, 116, 0.01), new FmaPeak(2, 230, 0.02)]);

    private static BenchRun Run(string benchmark, BenchResult[] results, BenchCurve[]? curves = null, string[]? arguments = null) =>
        new(benchmark, arguments ?? [], new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero), 90, 0, 0.05, results, curves ?? []);

    private static BenchReport Report() => new(
    [
        Run("dense",
        [
            new("train speed", 2000, "samples/s", HigherIsBetter: true) { Peer = "PyTorch", PeerValue = 1000 },
            new("test MSE", 0.0093, "", HigherIsBetter: false) { Peer = "PyTorch", PeerValue = 0.0124, Comparable = false, Note = "other code | activation" },
            new("peak RSS", 210, "MiB", HigherIsBetter: false) { Peer = "PyTorch", PeerValue = 420, Detail = true },
            new("batch-1000 inference", 50000, "samples/s", HigherIsBetter: true) { Peer = "PyTorch", PeerValue = 25000, Detail = true },
        ]),
        Run("vae",
        [
            new("test loss", 105.24, "nats", HigherIsBetter: false) { Peer = "PyTorch", PeerValue = 105.6, Seeds = 3, OursStd = 0.36, PeerStd = 0.29, OursWorst = 105.71 },
            new("train speed", 45000, "samples/s", HigherIsBetter: true) { Peer = "PyTorch", PeerValue = 60000 },
        ],
        [new BenchCurve("test loss per epoch", "epoch", "nats", [CurveSide.PerEpoch("ours", [120, 110, 106]), CurveSide.PerEpoch("PyTorch", [121, 111, double.NaN])])]),
        Run("reduce", [new("test squared error", 3.4, "", HigherIsBetter: false) { Peer = "Hinton & Salakhutdinov (paper)", PeerValue = 3.0, PeerKind = PeerKind.Published }]),
        Run("search",
        [
            new("queries/s", 5000, "queries/s", HigherIsBetter: true) { Peer = "raw pixels", PeerValue = 2500, PeerKind = PeerKind.Baseline },
            new("recall", 0.97, "", HigherIsBetter: true),
        ], arguments: ["--quick"]),
    ], Machine, new DateOnly(2025, 6, 2));

    [Fact]
    public void EachResultGetsARowWithBothFiguresTheRatioAndWhetherItIsComparable()
    {
        BenchReport report = Report();

        Assert.Equal(9, report.Rows.Count);
        Assert.Equal(["dense", "train speed (samples/s ↑)", "2000", "PyTorch", "1000", "2.00", "yes", ""], report.Rows[0]);
        Assert.Equal(["dense", "test MSE (↓)", "0.009300", "PyTorch", "0.01240", "0.750", "no", "other code | activation"], report.Rows[1]);
        Assert.Equal(["vae", "test loss (nats ↓, 3 seeds)", "105.2 ± 0.4", "PyTorch", "105.6 ± 0.3", "0.997", "yes", "our worst seed 105.7"], report.Rows[4]);
        Assert.Equal("Hinton & Salakhutdinov (paper), published", report.Rows[6][3]);
        Assert.Equal(["search", "queries/s (queries/s ↑)", "5000", "raw pixels, our baseline", "2500", "2.00", "no (quick run)", ""], report.Rows[7]);
        Assert.Equal(["search", "recall (↑)", "0.9700", "—", "—", "—", "no (quick run)", ""], report.Rows[8]);
    }

    [Fact]
    public void MarkdownHasTheTableTheMachineAndAReadmeSnippetWithoutDetails()
    {
        BenchReport report = Report();
        string markdown = report.ToMarkdown();

        Assert.StartsWith("# Latent benchmarks, 2025-06-02\n", markdown);
        Assert.Contains("Test CPU 9000, 2 logical cores, .NET 10.0.0; measured FMA peak 116.0 GFLOP/s on 1 thread, 230.0 GFLOP/s on 2 threads", markdown);
        Assert.Contains("| benchmark | measure | ours | peer | peer's figure | ours / peer | comparable | note |\n| --- | --- | ---: | --- | ---: | ---: | --- | --- |\n", markdown);
        Assert.Contains("| dense | test MSE (↓) | 0.009300 | PyTorch | 0.01240 | 0.750 | no | other code \\| activation |\n", markdown);
        Assert.Contains("| dense | peak RSS (MiB ↓) |", markdown);
        Assert.Contains("![", markdown);
        Assert.Contains("(speed-ratios.svg)", markdown);

        string snippet = report.ReadmeSnippet();
        Assert.Contains("2025-06-02", snippet);
        Assert.Contains("Test CPU 9000", snippet);
        Assert.Contains("not for quoting", snippet);   // one run was --quick
        Assert.Contains("| vae | test loss (nats ↓, 3 seeds) | 105.2 ± 0.4 | PyTorch: 105.6 ± 0.3 | 0.997 | yes |", snippet);
        Assert.DoesNotContain("peak RSS", snippet);
        Assert.DoesNotContain("batch-1000", snippet);
        Assert.Contains("Peer implementations run in the same benchmark on the same machine: dense (PyTorch); vae (PyTorch).", snippet);
        Assert.Contains("Compared only with published numbers: reduce (Hinton & Salakhutdinov (paper)).", snippet);
        Assert.Contains("Without a peer (our own baselines at most): search.", snippet);
        Assert.Contains(snippet, markdown);
    }

    [Fact]
    public void ChartsAreWellFormedSvgWithABarPerSpeedRatioAgainstAPeerImplementation()
    {
        BenchReport report = Report();

        Assert.Equal(["speed-ratios.svg", "speed-ratios-all.svg", "vae-test-loss-per-epoch.svg"], report.Charts.Select(c => c.FileName));
        List<string> Bars(Svg chart) =>
            [.. XDocument.Parse(chart).Descendants(SvgNs + "rect").Where(r => (string?)r.Attribute("class") == "bar").Select(b => b.Element(SvgNs + "title")!.Value)];
        // Speeds against peer implementations: not the baseline's queries/s, not latency or RSS; details only in the second chart.
        Assert.Equal(["dense: train speed: 2", "vae: train speed: 0.75"], Bars(report.Charts[0].Svg));
        Assert.Equal(["dense: train speed: 2", "dense: batch-1000 inference: 2", "vae: train speed: 0.75"], Bars(report.Charts[1].Svg));
        var lines = XDocument.Parse(report.Charts[2].Svg).Descendants(SvgNs + "path").Where(p => (string?)p.Attribute("class") == "series");
        Assert.Equal(["ours", "PyTorch"], lines.Select(p => (string?)p.Attribute("data-name")));

        // The page inlines every chart, and each still parses as XML there.
        string html = report.ToHtml().ToHtml();
        var inline = Regex.Matches(html, "<svg .*?</svg>", RegexOptions.Singleline).Select(m => XDocument.Parse(m.Value)).ToList();
        Assert.Equal(3, inline.Count);
        Assert.Contains("<td>Hinton &amp; Salakhutdinov (paper), published</td>", html);
    }

    [Fact]
    public void TheSnippetListsThePeersThatRanAndACurveDrawsEverySideInOneChart()
    {
        var report = new BenchReport(
        [
            Run("search",
            [
                new("clustered-32: exact euclidean, 2 threads", 900, "queries/s", HigherIsBetter: true) { Peer = "FAISS IndexFlatL2", PeerValue = 1000 },
                new("clustered-32: HNSW queries/s at recall@10 ≥ 0.90", 20000, "queries/s", HigherIsBetter: true) { Peer = "FAISS IndexHNSWFlat", PeerValue = 25000 },
                new("clustered-32: HNSW queries/s at recall@10 ≥ 0.90", 20000, "queries/s", HigherIsBetter: true) { Peer = "hnswlib", PeerValue = 30000 },
                new("gaussian-32: exact cosine, 2 threads", 800, "queries/s", HigherIsBetter: true) { Peer = "FAISS IndexFlatIP", Note = "the peers did not run" },
                new("fashion-mnist: precision@10 by label", 0.83, "precision", HigherIsBetter: true) { Peer = "raw pixels", PeerValue = 0.81, PeerKind = PeerKind.Baseline },
            ],
            [
                new BenchCurve("HNSW recall against speed, clustered-32", "recall@10", "queries/s",
                [
                    new CurveSide("ours", [0.9, 0.99], [20000, 8000]),
                    new CurveSide("FAISS IndexHNSWFlat", [0.92, 0.99], [25000, 9000]),
                    new CurveSide("hnswlib", [0.93, 0.995], [30000, 10000]),
                ]) { LogY = true },
            ]),
        ], Machine, new DateOnly(2025, 6, 2));

        // FAISS IndexFlatIP has no figure (it did not run), so it is not among the peers run; the baseline is no peer.
        Assert.Contains("Peer implementations run in the same benchmark on the same machine: search (FAISS IndexFlatL2, FAISS IndexHNSWFlat, hnswlib).",
            report.ReadmeSnippet());
        ReportChart chart = Assert.Single(report.Charts, c => c.FileName == "search-hnsw-recall-against-speed-clustered-32.svg");
        var lines = XDocument.Parse(chart.Svg).Descendants(SvgNs + "path").Where(p => (string?)p.Attribute("class") == "series");
        Assert.Equal(["ours", "FAISS IndexHNSWFlat", "hnswlib"], lines.Select(p => (string?)p.Attribute("data-name")));
        Assert.Contains("](search-hnsw-recall-against-speed-clustered-32.svg)", report.ToMarkdown());
    }

    [Fact]
    public void SavingWritesTheReportAndItsCharts()
    {
        using var folder = new TempFolder();
        string target = Path.Combine(folder.Path, "2025-06-02");
        Report().Save(target);
        Assert.Equal(["report.html", "report.md", "speed-ratios-all.svg", "speed-ratios.svg", "vae-test-loss-per-epoch.svg"],
            Directory.GetFiles(target).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        XDocument.Load(Path.Combine(target, "speed-ratios.svg"));
    }

    [Fact]
    public void ARunRoundTripsThroughItsJsonFile()
    {
        using var folder = new TempFolder();
        string path = Path.Combine(folder.Path, "vae.json");
        BenchRun run = Run("vae",
            [new("test loss", 105.24, "nats", HigherIsBetter: false) { Peer = "GAIN (paper)", PeerValue = double.NaN, PeerKind = PeerKind.Published, Seeds = 3, OursStd = 0.35, Comparable = false, Detail = true, Note = "n" }],
            [new BenchCurve("recall", "recall@10", "queries/s", [new CurveSide("ours", [0.9, 0.95], [2000, 1000])]) { LogY = true }],
            ["--quick"]);
        run.Save(path);
        BenchRun loaded = BenchRun.Load(path);

        Assert.Equal(run with { Results = [], Curves = [], Arguments = [] }, loaded with { Results = [], Curves = [], Arguments = [] });
        Assert.Equal(["--quick"], loaded.Arguments);
        Assert.True(loaded.Quick);
        Assert.Equal(run.Results[0] with { PeerValue = null }, loaded.Results[0] with { PeerValue = null });
        Assert.True(double.IsNaN(loaded.Results[0].PeerValue!.Value));
        BenchCurve curve = Assert.Single(loaded.Curves);
        Assert.True(curve.LogY);
        Assert.Equal([0.9, 0.95], curve.Sides[0].X);
        Assert.Equal([2000.0, 1000.0], curve.Sides[0].Y);
        Assert.Contains("\"higher_is_better\": false", File.ReadAllText(path));
        Assert.Contains("\"peer_kind\": \"published\"", File.ReadAllText(path));
    }

    [Fact]
    public void AFileThatIsNotARunIsRejectedWithItsName()
    {
        using var folder = new TempFolder();
        string path = Path.Combine(folder.Path, "broken.json");
        File.WriteAllText(path, "{\"benchmark\": ");
        Assert.Contains("broken.json is not a benchmark's results file", Assert.Throws<InvalidDataException>(() => BenchRun.Load(path)).Message);
        File.WriteAllText(path, "{}");
        Assert.Contains("broken.json is not a benchmark's results file", Assert.Throws<InvalidDataException>(() => BenchRun.Load(path)).Message);
    }

    [Fact]
    public void TheCpuModelComesFromTheFirstProcessor()
    {
        string cpuinfo = "processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC 9R14 96-Core Processor\n\nprocessor\t: 1\nmodel name\t: other\n";
        Assert.Equal("AMD EPYC 9R14 96-Core Processor", MachineInfo.CpuModelFrom(cpuinfo));
        Assert.Null(MachineInfo.CpuModelFrom("processor\t: 0\n"));
    }
}
