namespace Latent.Applications.AnomalyDetection;

/// <summary>
/// The ways a detector scores a row; with several, a row's score is the mean of their scores, each made relative to
/// its typical fitted row (so each has about 1 for a normal row and none outvotes the others by its scale). Every
/// scorer splits its score over the features, so contributions stay additive.
/// </summary>
[Flags]
public enum AnomalyScorers
{
    /// <summary>Reconstruction error of the ensemble of small autoencoders (<see cref="AnomalyOptions.Members"/>).</summary>
    Autoencoders = 1,

    /// <summary>
    /// Squared distance to the k-th nearest row (<see cref="AnomalyOptions.Neighbours"/>) of each of
    /// <see cref="AnomalyOptions.Members"/> random samples of <see cref="AnomalyOptions.SampleRows"/> fitted rows, averaged
    /// over the samples: kNN outlier scoring with subsampling, one of the strongest unsupervised detectors on ODDS.
    /// </summary>
    Neighbours = 2,

    /// <summary>
    /// Empirical tail probabilities, as ECOD (Li et al. 2022): per feature, −log of the smaller of the fraction of fitted
    /// rows at or below the value and the fraction at or above it, summed over the features.
    /// </summary>
    Tails = 4,
}
