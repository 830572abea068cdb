using System.Text.Json.Serialization;
using Latent.Engine;

namespace Latent.Applications.AnomalyDetection;

/// <summary>
/// How an <see cref="AnomalyDetector"/> learns what normal looks like. The defaults suit tables from a few hundred
/// to millions of rows and need no knowledge of how many anomalies the data holds.
/// </summary>
public sealed record AnomalyOptions
{
    /// <summary>
    /// How rows are scored. The default was chosen leave-one-table-out over twelve ODDS tables (bench `anomaly`: PyOD's
    /// 60/40 protocol, 5 seeds) among autoencoders alone, + kNN, + tails and + both: for each table, the candidate
    /// with the best mean ROC-AUC on the other eleven. Eleven folds chose autoencoders + kNN (satellite's chose all
    /// three); over all twelve it averages 0.862 against 0.857 for the autoencoders alone and 0.839 for IsolationForest.
    /// kNN helps most on glass (+0.04) and annthyroid (+0.02) and costs most on cardio (−0.013), where the tails help.
    /// </summary>
    public AnomalyScorers Scorers { get; init; } = AnomalyScorers.Autoencoders | AnomalyScorers.Neighbours;

    /// <summary>With <see cref="AnomalyScorers.Neighbours"/>: k, the rank of the neighbour whose distance is the score (PyOD's kNN default).</summary>
    public int Neighbours { get; init; } = 5;

    /// <summary>Autoencoders in the ensemble (and samples of <see cref="AnomalyScorers.Neighbours"/>); each learns from its own random sample of rows and their scores are averaged.</summary>
    public int Members { get; init; } = 10;

    /// <summary>
    /// Rows (or windows) each member trains on, and each neighbour sample holds; all of them when there are fewer. As
    /// in Isolation Forest, a small sample keeps a member from learning the anomalies hidden among the rows (and a
    /// cluster of anomalies from being its own neighbours), and the ensemble averages out the variance that small
    /// samples bring.
    /// </summary>
    public int SampleRows { get; init; } = 256;

    /// <summary>
    /// The ensemble's autoencoders: dense (every value of a row or window at once) or, for windows of a series
    /// (<see cref="Window"/>), LSTM autoencoders that read each window step by step (Malhotra et al. 2016).
    /// </summary>
    public DetectorAutoencoder Autoencoder { get; init; } = DetectorAutoencoder.Dense;

    /// <summary>
    /// Encoder layer widths of every member (the decoder mirrors them); null: one layer of max(8, 2 × code size) units.
    /// For LSTM members the first width is the LSTM's units (null: 64).
    /// </summary>
    public int[]? Hidden { get; init; }

    /// <summary>Code size of every dense member; null: each member draws its own between a quarter and half of the input width. LSTM members take none (their code is the final state).</summary>
    public int? CodeSize { get; init; }

    /// <summary>
    /// Hidden-layer activation. ELU learned the structure of normal rows better than tanh and ReLU in our measurements
    /// (synthetic subspaces, the ODDS tables) while, saturating below, still rebuilding rows far outside the normal
    /// range badly.
    /// </summary>
    public Activation Activation { get; init; } = Activation.Elu;

    /// <summary>
    /// Passes over each member's sample (about 400 small steps by default). Few passes are deliberate: a member that
    /// trains to convergence also learns to rebuild the rare rows, which is exactly what a detector must not do.
    /// </summary>
    public int Epochs { get; init; } = 100;

    /// <summary>Rows per training step.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Adam's learning rate.</summary>
    public float LearningRate { get; init; } = 1e-3f;

    /// <summary>L2 penalty on the weights (Adam).</summary>
    public float WeightDecay { get; init; }

    /// <summary>
    /// Robust training: after the first quarter of the epochs, each epoch leaves out this fraction of the member's
    /// sample with the highest reconstruction error, so that anomalies among the training rows stop pulling the model
    /// towards them.
    /// </summary>
    public float TrimFraction { get; init; } = 0.3f;

    /// <summary>How scores become flags. Stored in the detector file with the threshold it gave.</summary>
    [JsonIgnore]
    public ThresholdRule Threshold { get; init; } = ThresholdRule.Auto;

    /// <summary>With <see cref="ThresholdRule.FalsePositiveRate"/>: the fraction of the rows held out from training to calibrate the threshold (the last part of a time series).</summary>
    public float CalibrationFraction { get; init; } = 0.2f;

    /// <summary>
    /// Time series: each sample is a window of this many consecutive rows, and each row's score is the mean score
    /// of the windows that contain it. Null: rows are independent samples.
    /// </summary>
    public int? Window { get; init; }

    /// <summary>Rows between the starts of consecutive windows.</summary>
    public int Stride { get; init; } = 1;

    /// <summary>
    /// Table columns left out of the features (ids, labels, time stamps); <c>detect score</c> echoes them. Only for
    /// tables: a detector fitted on numbers refuses names. An option rather than a parameter of
    /// <see cref="AnomalyDetector.Fit(Latent.Data.CsvTable, AnomalyOptions?, IProgress{Latent.Training.TrainingProgress}?, CancellationToken)"/>
    /// so that every fit has the same shape and the detector file records them with the other options.
    /// </summary>
    public IReadOnlyList<string> ExcludeColumns { get; init; } = [];

    /// <summary>Text columns with more distinct values than this are refused: an id or a time stamp is not a category.</summary>
    public int MaxCategories { get; init; } = 50;

    /// <summary>Seeds the samples, initial weights and shuffling: same seed, same detector, same scores.</summary>
    public ulong Seed { get; init; }

    /// <summary>Refuses impossible settings; the messages name each setting as the options and the command line do.</summary>
    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(Threshold, nameof(Threshold));
        ArgumentNullException.ThrowIfNull(ExcludeColumns, nameof(ExcludeColumns));
        if (Scorers == 0 || (Scorers & ~(AnomalyScorers.Autoencoders | AnomalyScorers.Neighbours | AnomalyScorers.Tails)) != 0)
            throw new ArgumentException($"Scorers must name at least one of autoencoders, neighbours and tails, not '{Scorers}'.");
        if (Neighbours < 1) throw new ArgumentException($"Neighbours (k of the nearest-neighbour score) must be at least 1, not {Neighbours}.");
        if (!Enum.IsDefined(Autoencoder)) throw new ArgumentException($"The autoencoder must be Dense or Lstm, not {Autoencoder}.");
        if (Autoencoder == DetectorAutoencoder.Lstm && Window is null)
            throw new ArgumentException("An LSTM autoencoder reads windows of a series: set Window (--window) to the steps per window.");
        if (Autoencoder == DetectorAutoencoder.Lstm && (Hidden is { Length: not 1 } || CodeSize is not null))
            throw new ArgumentException("An LSTM autoencoder takes one width, its units (Hidden, --hidden), and no separate code size (CodeSize, --code): its code is its final state.");
        if (Members < 1) throw new ArgumentException($"Members (autoencoders in the ensemble, and neighbour samples) must be at least 1, not {Members}.");
        if (SampleRows < 2) throw new ArgumentException($"SampleRows (rows each member trains on) must be at least 2, not {SampleRows}.");
        if (Hidden is not null && Hidden.Any(h => h < 1)) throw new ArgumentException($"Hidden layer widths must be at least 1; got [{string.Join(", ", Hidden)}].");
        if (CodeSize is < 1) throw new ArgumentException($"The code size must be at least 1, not {CodeSize}.");
        if (Epochs < 1) throw new ArgumentException($"Epochs must be at least 1, not {Epochs}.");
        if (BatchSize < 1) throw new ArgumentException($"The batch size must be at least 1, not {BatchSize}.");
        if (!(LearningRate > 0) || !float.IsFinite(LearningRate)) throw new ArgumentException($"The learning rate must be a positive number, not {LearningRate}.");
        if (!(WeightDecay >= 0)) throw new ArgumentException($"Weight decay must be at least 0, not {WeightDecay}.");
        if (!(TrimFraction >= 0 && TrimFraction < 0.9f)) throw new ArgumentException($"TrimFraction (the trimmed share of each member's rows) must be in [0, 0.9), not {TrimFraction}.");
        if (!(CalibrationFraction > 0 && CalibrationFraction < 0.9f)) throw new ArgumentException($"CalibrationFraction must be in (0, 0.9), not {CalibrationFraction}.");
        if (Window is < 1) throw new ArgumentException($"The window must be at least 1 row, not {Window}.");
        if (Stride < 1) throw new ArgumentException($"The stride must be at least 1 row, not {Stride}.");
        if (Window is { } w && Stride > w)
            throw new ArgumentException($"The stride ({Stride}) must not be longer than the window ({w}), or rows between windows would get no score.");
        if (MaxCategories < 2) throw new ArgumentException($"MaxCategories must be at least 2, not {MaxCategories}.");
    }
}
