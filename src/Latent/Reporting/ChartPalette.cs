namespace Latent.Reporting;

/// <summary>The categorical colours of charts: series and labels take them in order.</summary>
public static class ChartPalette
{
    /// <summary>
    /// Twenty colours: ten strong, distinguishable hues first (the widely used "category10" set), then lighter
    /// variants of the same hues, so the first ten categories are easiest to tell apart. Further ones cycle.
    /// </summary>
    public static IReadOnlyList<string> Colors { get; } =
    [
        "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
        "#aec7e8", "#ffbb78", "#98df8a", "#ff9896", "#c5b0d5", "#c49c94", "#f7b6d2", "#c7c7c7", "#dbdb8d", "#9edae5",
    ];

    /// <summary>The colour of the category at <paramref name="index"/> (0-based), cycling past the end.</summary>
    public static string ColorAt(int index) => Colors[(int)((uint)index % (uint)Colors.Count)];
}
