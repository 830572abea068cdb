using Latent.Engine;
using Latent.Imaging;
using Latent.Models;
using Latent.Training;

namespace Latent.Reporting;

/// <summary>What a training run's report shows; every part is optional except the title.</summary>
public sealed record TrainingReportContent
{
    /// <summary>The page's title.</summary>
    public required string Title { get; init; }
    /// <summary>Key facts (data, architecture, time) shown first.</summary>
    public IReadOnlyList<(string Key, string Value)> Facts { get; init; } = [];
    /// <summary>A results table, e.g. the autoencoder next to PCA at the same code size.</summary>
    public (IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string>> Rows)? Results { get; init; }
    /// <summary>The training history, for the loss chart.</summary>
    public History? History { get; init; }
    /// <summary>Held-out rows and their reconstructions (first few shown when the rows are images).</summary>
    public Tensor? Originals { get; init; }
    /// <summary>Reconstructed rows to show beside the originals, or null.</summary>
    public Tensor? Reconstructions { get; init; }
    /// <summary>The image geometry of the rows, when they are images.</summary>
    public ImageShape? Image { get; init; }
    /// <summary>The codes of the held-out rows, shown as a scatter of their first two principal components.</summary>
    public Tensor? Codes { get; init; }
    /// <summary>The rows' labels, when known.</summary>
    public int[]? Labels { get; init; }
}

/// <summary>Builds the HTML report of a training run: facts, results, loss curves, reconstructions and a map of the codes.</summary>
public static class TrainingReport
{
    private const int ShownImages = 16;

    /// <summary>The HTML report of a training run.</summary>
    public static HtmlReport Build(TrainingReportContent content)
    {
        var report = new HtmlReport(content.Title);
        if (content.Facts.Count > 0) report.KeyValues([.. content.Facts]);
        if (content.Results is { } results)
        {
            report.Heading("Results");
            report.Table(results.Header, results.Rows);
        }
        if (content.History is { Epochs.Count: > 0 } history)
        {
            report.Heading("Loss");
            var series = new List<ChartSeries> { ChartSeries.PerEpoch("train", history.Epochs.Select(e => (double)e.TrainLoss)) };
            if (history.Epochs.Any(e => e.ValidationLoss is not null))
                series.Add(ChartSeries.PerEpoch("validation", history.Epochs.Select(e => (double)(e.ValidationLoss ?? float.NaN))));
            report.Chart(SvgChart.Line(series, new ChartOptions { XLabel = "epoch", YLabel = "loss", LogScaleY = true }),
                $"Best epoch {history.BestEpoch} of {history.Epochs.Count}; training stopped: {history.StopReason}.");
        }
        if (content is { Originals: { } originals, Reconstructions: { } rebuilt, Image: { } shape })
        {
            report.Heading("Reconstructions");
            int n = Math.Min(ShownImages, originals.Dim(0));
            int size = shape.Channels * shape.Height * shape.Width;
            Raster grid = ImageGrid.ComposePairs(originals.Span[..(n * size)], rebuilt.Span[..(n * size)], shape,
                layout: new GridLayout { Columns = Math.Min(n, 8), Scale = Math.Max(1, 64 / shape.Height) });
            report.Image(grid, $"Held-out rows (upper) and their reconstructions (lower), {n} examples.");
        }
        if (content.Codes is { } codes && codes.Dim(0) >= 3)
        {
            report.Heading("Codes");
            report.Chart(SvgChart.Scatter(Map2D(codes), content.Labels ?? default,
                    new ChartOptions { XLabel = "code PC 1", YLabel = "code PC 2" }),
                content.Labels is null ? "The codes' first two principal components." : "The codes' first two principal components, coloured by label.");
        }
        return report;
    }

    /// <summary>Codes projected on their first two principal components (or as they are, when two or fewer).</summary>
    private static float[] Map2D(Tensor codes)
    {
        int rows = codes.Dim(0), width = codes.Dim(1);
        if (width > 2) return new Pca(2).Fit(codes).Transform(codes).ToArray();
        var xy = new float[rows * 2];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < width; c++) xy[r * 2 + c] = codes.Span[r * width + c];
        return xy;
    }
}
