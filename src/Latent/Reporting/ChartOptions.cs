namespace Latent.Reporting;

/// <summary>Titles, size and y scale of an <see cref="SvgChart"/>.</summary>
public sealed record ChartOptions
{
    /// <summary>Shown above the plot; none when null.</summary>
    public string? Title { get; init; }

    /// <summary>Label under the x axis; none when null.</summary>
    public string? XLabel { get; init; }

    /// <summary>Label beside the y axis; none when null.</summary>
    public string? YLabel { get; init; }

    /// <summary>Width of the whole chart in pixels, legend included (at least 200).</summary>
    public int Width { get; init; } = 640;

    /// <summary>Height of the whole chart in pixels (at least 150).</summary>
    public int Height { get; init; } = 400;

    /// <summary>Logarithmic y axis (decades); points with y ≤ 0 cannot be shown and are skipped.</summary>
    public bool LogScaleY { get; init; }

    internal void Validate()
    {
        if (Width < 200 || Height < 150)
            throw new ArgumentException($"A chart needs at least 200×150 pixels; got {Width}×{Height}.");
    }
}
