using System.Text.RegularExpressions;
using System.Xml.Linq;
using Latent.Reporting;

namespace Latent.Tests.Reporting;

public class SvgChartTests
{
    private static readonly XNamespace SvgNs = "http://www.w3.org/2000/svg";

    [Fact]
    public void LineChartDrawsOnePathPerSeriesWithANamedLegend()
    {
        Svg chart = SvgChart.Line(
            [ChartSeries.PerEpoch("train", [0.9, 0.5, 0.3, 0.25]), ChartSeries.PerEpoch("validation <best> & 'co'", [1.0, 0.6, 0.45, 0.4])],
            new ChartOptions { Title = "Loss", XLabel = "epoch", YLabel = "loss" });

        var xml = XDocument.Parse(chart);
        var paths = xml.Descendants(SvgNs + "path").Where(p => (string?)p.Attribute("class") == "series").ToList();
        Assert.Equal(2, paths.Count);
        var texts = xml.Descendants(SvgNs + "text").Select(t => t.Value).ToList();
        Assert.Contains("train", texts);
        Assert.Contains("validation <best> & 'co'", texts);
        Assert.Contains("Loss", texts);
        Assert.Contains("epoch", texts);
        Assert.Equal(["1", "2", "3", "4"], XTickLabels(xml));   // whole epochs only
        Assert.Contains("&lt;best&gt; &amp;", chart.Markup);
        Assert.DoesNotContain("<best>", chart.Markup);
        AssertNumbersAreInvariant(chart);
    }

    [Fact]
    public void BandsShadeTheirStretchesBehindTheLinesWithOneLegendEntryPerKind()
    {
        Svg chart = SvgChart.Line([new ChartSeries("value", [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 2, 1, 2, 9, 2, 1, 2, 1, 2])], null,
            [new ChartBand("flagged", 4, 4), new ChartBand("labelled window", 3, 5), new ChartBand("flagged", 8, 9)]);
        var xml = XDocument.Parse(chart);
        var bands = xml.Descendants(SvgNs + "rect").Where(r => (string?)r.Attribute("class") == "band").ToList();
        Assert.Equal(3, bands.Count);
        Assert.Equal((string?)bands[0].Attribute("fill"), (string?)bands[2].Attribute("fill"));
        Assert.NotEqual((string?)bands[0].Attribute("fill"), (string?)bands[1].Attribute("fill"));
        Assert.True(double.Parse((string)bands[0].Attribute("width")!, System.Globalization.CultureInfo.InvariantCulture) >= 1, "a one-point stretch stays visible");
        double Left(XElement band) => double.Parse((string)band.Attribute("x")!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(Left(bands[1]) < Left(bands[0]) && Left(bands[0]) < Left(bands[2]));
        var texts = xml.Descendants(SvgNs + "text").Select(t => t.Value).ToList();
        Assert.Equal(1, texts.Count(t => t == "flagged"));
        Assert.Contains("labelled window", texts);
        AssertNumbersAreInvariant(chart);
    }

    [Fact]
    public void NonFinitePointsAreSkipped()
    {
        Svg chart = SvgChart.Line([ChartSeries.PerEpoch("loss", [1, double.NaN, 0.5, double.PositiveInfinity, 0.25])]);
        string d = (string)XDocument.Parse(chart).Descendants(SvgNs + "path").Single().Attribute("d")!;
        Assert.Equal(3, Regex.Matches(d, "[ML]").Count);
        Assert.DoesNotContain("NaN", chart.Markup);
        Assert.DoesNotContain("Infinity", chart.Markup);
    }

    [Fact]
    public void LogScaleUsesOneTwoFiveTicksAndSkipsNonPositiveValues()
    {
        Svg chart = SvgChart.Line([ChartSeries.PerEpoch("loss", [0.3, 0.1, 0.04, 0, -1, 0.021])], new ChartOptions { LogScaleY = true });
        var xml = XDocument.Parse(chart);
        Assert.Equal(["0.02", "0.05", "0.1", "0.2", "0.5"], YTickLabels(xml));
        string d = (string)xml.Descendants(SvgNs + "path").Single().Attribute("d")!;
        Assert.Equal(4, Regex.Matches(d, "[ML]").Count);
        AssertNumbersAreInvariant(chart);
    }

    [Fact]
    public void DegenerateAndEmptyInputsStillGiveValidCharts()
    {
        foreach (var chart in new[]
        {
            SvgChart.Line([]),
            SvgChart.Line([ChartSeries.PerEpoch("nothing", [double.NaN, double.NaN])]),
            SvgChart.Line([ChartSeries.PerEpoch("flat", [0.5, 0.5, 0.5])]),
            SvgChart.Line([ChartSeries.PerEpoch("one", [0.0])], new ChartOptions { LogScaleY = true }),
            SvgChart.Line([ChartSeries.PerEpoch("zero", [0, 0])]),
            SvgChart.Scatter([]),
            SvgChart.Scatter([2f, 3f, 2f, 3f, 2f, 3f]),
        })
        {
            XDocument.Parse(chart);
            Assert.DoesNotContain("NaN", chart.Markup);
            Assert.DoesNotContain("Infinity", chart.Markup);
            AssertNumbersAreInvariant(chart);
        }
        Assert.Contains(">no data<", SvgChart.Line([]).Markup);
        Assert.Contains(">no data<", SvgChart.Scatter([]).Markup);
        // A flat line gets a range centred on its value.
        var flat = YTickLabels(XDocument.Parse(SvgChart.Line([ChartSeries.PerEpoch("flat", [0.5, 0.5])]))).Select(double.Parse).ToList();
        Assert.Contains(0.5, flat);
        Assert.Equal(1.0, flat[0] + flat[^1], 9);
    }

    [Fact]
    public void ScatterGivesEachOfTenLabelsItsOwnColourAndLegendEntry()
    {
        int n = 200;
        float[] xy = Enumerable.Range(0, 2 * n).Select(i => MathF.Sin(i * 0.37f) * (i % 7)).ToArray();
        int[] labels = Enumerable.Range(0, n).Select(i => (i * 7) % 10).ToArray();
        Svg chart = SvgChart.Scatter(xy, labels, new ChartOptions { Title = "Latent space" });

        var xml = XDocument.Parse(chart);
        var groups = xml.Descendants(SvgNs + "path").Where(p => (string?)p.Attribute("class") == "points").ToList();
        Assert.Equal(10, groups.Count);
        Assert.Equal(10, groups.Select(p => (string)p.Attribute("stroke")!).Distinct().Count());
        Assert.Equal(n, groups.Sum(p => Regex.Matches((string)p.Attribute("d")!, "M").Count));
        var legend = xml.Descendants(SvgNs + "g").Single(g => (string?)g.Attribute("class") == "legend");
        Assert.Equal(Enumerable.Range(0, 10).Select(i => i.ToString()), legend.Descendants(SvgNs + "text").Select(t => t.Value));
        AssertNumbersAreInvariant(chart);
    }

    [Fact]
    public void ScatterWithoutLabelsUsesOneColourAndNoLegend()
    {
        var xml = XDocument.Parse(SvgChart.Scatter([0f, 0f, 1f, 2f, -3f, 0.5f, float.NaN, 1f]));
        var groups = xml.Descendants(SvgNs + "path").Where(p => (string?)p.Attribute("class") == "points").ToList();
        Assert.Single(groups);
        Assert.Equal(3, Regex.Matches((string)groups[0].Attribute("d")!, "M").Count);   // the NaN point is skipped
        Assert.DoesNotContain(xml.Descendants(SvgNs + "g"), g => (string?)g.Attribute("class") == "legend");
    }

    [Fact]
    public void ScatterRejectsMismatchedInput()
    {
        Assert.Contains("3 coordinates", Assert.Throws<ArgumentException>(() => SvgChart.Scatter([1f, 2f, 3f])).Message);
        Assert.Contains("2 points but 3 labels", Assert.Throws<ArgumentException>(() => SvgChart.Scatter([1f, 2f, 3f, 4f], [0, 1, 2])).Message);
        Assert.Throws<ArgumentException>(() => SvgChart.Line([], new ChartOptions { Width = 10 }));
        Assert.Throws<ArgumentException>(() => new ChartSeries("s", [1, 2], [1]));
    }

    [Fact]
    public void ControlCharactersInNamesDoNotBreakTheXml()
    {
        Svg chart = SvgChart.Line([ChartSeries.PerEpoch("bell\u0007 and \uD800 lone", [1, 2])]);
        XDocument.Parse(chart);
    }

    [Fact]
    public void LongLegendNamesAreShortenedToFitTheChart()
    {
        string name = new('x', 200);
        var xml = XDocument.Parse(SvgChart.Line([ChartSeries.PerEpoch(name, [1, 2])]));
        string shown = xml.Descendants(SvgNs + "g").Single(g => (string?)g.Attribute("class") == "legend").Descendants(SvgNs + "text").Single().Value;
        Assert.EndsWith("…", shown);
        Assert.True(shown.Length < 40);
        Assert.Equal(name, (string?)xml.Descendants(SvgNs + "path").Single().Attribute("data-name"));
    }

    [Fact]
    public void BarsRunFromTheBaselineUpOrDownWithTheirLabelsAndKeepASlotForAMissingValue()
    {
        Svg chart = SvgChart.Bar(
            [new ChartBar("faster <2×> & more", 2), new ChartBar("slower", 0.5), new ChartBar("missing", double.NaN), new ChartBar(new string('x', 100), 1.25)],
            new ChartOptions { Title = "ours / peer", LogScaleY = true }, baseline: 1);

        var xml = XDocument.Parse(chart);
        var bars = xml.Descendants(SvgNs + "rect").Where(r => (string?)r.Attribute("class") == "bar").ToList();
        Assert.Equal(["faster <2×> & more: 2", "slower: 0.5", $"{new string('x', 100)}: 1.25"], bars.Select(b => b.Element(SvgNs + "title")!.Value));
        double baseline = double.Parse((string)xml.Descendants(SvgNs + "line").Single(l => (string?)l.Attribute("class") == "baseline").Attribute("y1")!, System.Globalization.CultureInfo.InvariantCulture);
        double Top(XElement bar) => double.Parse((string)bar.Attribute("y")!, System.Globalization.CultureInfo.InvariantCulture);
        double Height(XElement bar) => double.Parse((string)bar.Attribute("height")!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(baseline, Top(bars[0]) + Height(bars[0]), 1);   // up from the baseline
        Assert.Equal(baseline, Top(bars[1]), 1);                       // down from it
        Assert.Equal(Height(bars[0]), Height(bars[1]), 1);            // 2× and ½× equally far on the log scale
        Assert.True(double.Parse((string)bars[2].Attribute("x")!, System.Globalization.CultureInfo.InvariantCulture) >
            double.Parse((string)bars[1].Attribute("x")!, System.Globalization.CultureInfo.InvariantCulture) + 1.5 * double.Parse((string)bars[1].Attribute("width")!, System.Globalization.CultureInfo.InvariantCulture));   // the NaN bar's slot stays empty
        var labels = xml.Descendants(SvgNs + "text").Where(t => ((string?)t.Attribute("transform"))?.StartsWith("rotate(-45", StringComparison.Ordinal) == true).Select(t => t.Value).ToList();
        Assert.Equal(4, labels.Count);
        Assert.Equal("faster <2×> & more", labels[0]);
        Assert.EndsWith("…", labels[3]);
        AssertNumbersAreInvariant(chart);

        Assert.Contains(">no data<", SvgChart.Bar([]).Markup);
        Assert.Throws<ArgumentException>(() => SvgChart.Bar([new ChartBar("a", 1)], new ChartOptions { LogScaleY = true }));   // baseline 0 on a log scale
    }

    private static List<string> XTickLabels(XDocument xml) => TickLabels(xml, "middle");

    private static List<string> YTickLabels(XDocument xml) => TickLabels(xml, "end");

    /// <summary>Tick labels are the texts anchored at their tick: centred under the x axis, right-aligned left of the y axis.</summary>
    private static List<string> TickLabels(XDocument xml, string anchor) =>
        xml.Descendants(SvgNs + "text")
            .Where(t => (string?)t.Attribute("text-anchor") == anchor && t.Attribute("transform") is null && t.Parent!.Name == SvgNs + "svg")
            .Where(t => anchor != "middle" || double.TryParse(t.Value, System.Globalization.CultureInfo.InvariantCulture, out _))
            .Select(t => t.Value)
            .OrderBy(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture))
            .ToList();

    /// <summary>Every coordinate is written with a dot for decimals and no thousands separators.</summary>
    private static void AssertNumbersAreInvariant(string svg)
    {
        foreach (var attribute in XDocument.Parse(svg).Descendants().Attributes())
            if (attribute.Name.LocalName is "x" or "y" or "x1" or "y1" or "x2" or "y2" or "cx" or "cy" or "r" or "width" or "height")
                Assert.Matches(@"^-?\d+(\.\d+)?$", attribute.Value);
            else if (attribute.Name.LocalName == "d")
                Assert.Matches(@"^[MLh0-9. -]*$", attribute.Value);
    }
}
