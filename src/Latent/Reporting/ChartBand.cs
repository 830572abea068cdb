namespace Latent.Reporting;

/// <summary>A stretch of a line chart's x axis to shade, named for the legend (bands of one name share a colour).</summary>
public sealed record ChartBand(string Name, double From, double To);
