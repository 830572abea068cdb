using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using Latent.Engine;

namespace Latent.Applications.AnomalyDetection;

/// <summary>
/// The scorers a detector was fitted with (<see cref="AnomalyOptions.Scorers"/>): a row's per-feature errors are the
/// mean of theirs. Each is already relative to its typical fitted row, so the mean is about 1 for a normal row too.
/// </summary>
internal sealed class CombinedScorer : IRowScorer
{
    public CombinedScorer(Ensemble? autoencoders, NeighbourDistance? neighbours, EmpiricalTails? tails)
    {
        Autoencoders = autoencoders;
        Neighbours = neighbours;
        Tails = tails;
        Parts = [.. new IRowScorer?[] { autoencoders, neighbours, tails }.OfType<IRowScorer>()];
        if (Parts.Length == 0 || Parts.Any(p => p.Width != Parts[0].Width))
            throw new InvalidDataException("The detector's scorers are inconsistent.");
    }

    public Ensemble? Autoencoders { get; }
    public NeighbourDistance? Neighbours { get; }
    public EmpiricalTails? Tails { get; }
    private IRowScorer[] Parts { get; }

    public int Width => Parts[0].Width;

    /// <summary>Which scorers these are.</summary>
    public AnomalyScorers Kinds =>
        (Autoencoders is null ? 0 : AnomalyScorers.Autoencoders) | (Neighbours is null ? 0 : AnomalyScorers.Neighbours) | (Tails is null ? 0 : AnomalyScorers.Tails);

    public void FeatureErrors(Tensor x, Span<float> errors)
    {
        if (Parts.Length == 1)
        {
            Parts[0].FeatureErrors(x, errors);
            return;
        }
        errors.Clear();
        float[] part = new float[errors.Length];
        foreach (IRowScorer scorer in Parts)
        {
            scorer.FeatureErrors(x, part);
            TensorPrimitives.MultiplyAdd(part, 1f / Parts.Length, errors, errors);
        }
    }
}
