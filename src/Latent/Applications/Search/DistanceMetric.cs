namespace Latent.Applications.Search;

/// <summary>How far apart two codes are.</summary>
public enum DistanceMetric
{
    /// <summary>‖a − b‖₂.</summary>
    Euclidean,
    /// <summary>1 − a·b / (‖a‖ ‖b‖), in [0, 2]; a zero code is at distance 1 from everything.</summary>
    Cosine,
}
