using Latent.Engine;

namespace Latent.Applications.AnomalyDetection;

/// <summary>A fitted way of scoring prepared rows, split over their features (see <see cref="AnomalyScorers"/>).</summary>
internal interface IRowScorer
{
    /// <summary>The width of the prepared rows (or windows) it scores.</summary>
    int Width { get; }

    /// <summary>
    /// The per-feature scores of <paramref name="x"/> [rows, Width] into <paramref name="errors"/> [rows × Width],
    /// scaled so that a typical fitted row's features add up to about 1. Thread-safe; does not change the scorer.
    /// </summary>
    void FeatureErrors(Tensor x, Span<float> errors);
}
