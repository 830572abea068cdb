using Latent.Imaging;
using Latent.Reporting;

namespace Latent.Tests.Reporting;

public class HtmlReportTests
{
    private static HtmlReport Sample(out byte[] png)
    {
        png = PngWriter.Encode([0, 128, 255, 64], 2, 2, PngColor.Gray);
        return new HtmlReport("Run <1> & \"friends\"")
            .Heading("Settings")
            .Paragraph("Trained with <script>alert(1)</script>")
            .KeyValues(("epochs", "60"), ("data", "digits & more"))
            .Table(["epoch", "loss"], [["1", "0.52"], ["2", "<b>"]])
            .Chart(SvgChart.Line([ChartSeries.PerEpoch("train", [1, 0.5])]), "Loss per epoch")
            .Image(png, "Originals and reconstructions");
    }

    [Fact]
    public void EscapesTextAndEmbedsEverythingInline()
    {
        string html = Sample(out byte[] png).ToHtml();
        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.Contains("<title>Run &lt;1&gt; &amp; &quot;friends&quot;</title>", html);
        Assert.Contains("<h1>Run &lt;1&gt; &amp; &quot;friends&quot;</h1>", html);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html);
        Assert.DoesNotContain("<script", html);
        Assert.Contains("<th scope=\"row\">data</th><td>digits &amp; more</td>", html);
        Assert.Contains("<thead><tr><th>epoch</th><th>loss</th></tr></thead>", html);
        Assert.Contains("<td class=\"number\">0.52</td>", html);
        Assert.Contains("<td>&lt;b&gt;</td>", html);
        Assert.Contains("<svg xmlns=\"http://www.w3.org/2000/svg\"", html);
        Assert.Contains($"src=\"data:image/png;base64,{Convert.ToBase64String(png)}\"", html);
        Assert.Contains("<figcaption>Originals and reconstructions</figcaption>", html);
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org/2000/svg", ""));   // no external resources
    }

    [Fact]
    public void RejectsMalformedInput()
    {
        var report = new HtmlReport("r");
        Assert.Contains("Row 1 has 1 cells but the header has 2", Assert.Throws<ArgumentException>(() => report.Table(["a", "b"], [["1", "2"], ["3"]])).Message);
        Assert.DoesNotContain("<table", report.ToHtml());   // a rejected table adds nothing
        Assert.Throws<ArgumentException>(() => report.Image([1, 2, 3], "not a png"));
        Assert.Throws<ArgumentOutOfRangeException>(() => report.Heading("h", 1));
    }

    [Fact]
    public void SaveIsAtomic()
    {
        using var dir = new TempFolder();
        string path = dir.File("report.html");
        File.WriteAllText(path, "old");
        var report = Sample(out _);
        report.Save(path);
        Assert.Equal(report.ToHtml(), File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(dir.Path));

        string missing = Path.Combine(dir.Path, "missing", "report.html");
        Assert.Throws<DirectoryNotFoundException>(() => report.Save(missing));
        Assert.False(Directory.Exists(Path.GetDirectoryName(missing)));
    }
}
