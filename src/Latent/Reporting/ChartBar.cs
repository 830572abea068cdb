namespace Latent.Reporting;

/// <summary>One labelled bar of a <see cref="SvgChart.Bar"/> chart.</summary>
/// <param name="Label">Shown slanted under the bar (shortened when long) and in full as the bar's tooltip.</param>
/// <param name="Value">The bar's height; a non-finite value (or one ≤ 0 on a log scale) keeps its slot but draws nothing.</param>
public sealed record ChartBar(string Label, double Value);
