namespace Latent.Bench.Reporting;

/// <summary>What the other side of a comparison is.</summary>
public enum PeerKind
{
    /// <summary>Another implementation (PyTorch, scikit-learn, FAISS, hnswlib) run on this machine in the same benchmark.</summary>
    Implementation,

    /// <summary>A figure from a paper or a published benchmark table, not run here.</summary>
    Published,

    /// <summary>A simpler method of our own for scale (PCA, raw pixels, column mean, another kernel), not a peer.</summary>
    Baseline,
}

/// <summary>
/// One result line of a benchmark: our figure for a measure and, when there is one, the other side's figure for the
/// same measure. A unit ending in <c>/s</c> marks a speed: its ratio against an <see cref="PeerKind.Implementation"/>
/// goes into the report's chart of speed ratios.
/// </summary>
/// <param name="Measure">What is measured, e.g. "train speed" or "test loss after 10 epochs".</param>
/// <param name="Ours">Our figure (the mean when there are several seeds).</param>
/// <param name="Unit">e.g. "samples/s", "GFLOP/s", "nats", "dB", "" for a plain number.</param>
/// <param name="HigherIsBetter">True for speeds, accuracies and PSNR; false for losses, errors and latencies.</param>
public sealed record BenchResult(string Measure, double Ours, string Unit, bool HigherIsBetter)
{
    /// <summary>Who the comparison is with, e.g. "PyTorch", "scikit-learn IsolationForest", "GAIN (paper)"; null for none.</summary>
    public string? Peer { get; init; }

    /// <summary>The peer's figure for the same measure; null when the peer did not run.</summary>
    public double? PeerValue { get; init; }

    public PeerKind PeerKind { get; init; } = PeerKind.Implementation;

    /// <summary>
    /// Both sides measured the same way on the same data. False when the protocols differ (say how in
    /// <see cref="Note"/>); the benchmark runner sets it false for every result of a <c>--quick</c> run.
    /// </summary>
    public bool Comparable { get; init; } = true;

    /// <summary>How many seeds the figures average over; null for a single run.</summary>
    public int? Seeds { get; init; }

    /// <summary>Standard deviation of our figure over the seeds.</summary>
    public double? OursStd { get; init; }

    /// <summary>Standard deviation of the peer's figure over the seeds.</summary>
    public double? PeerStd { get; init; }

    /// <summary>Our worst seed (the lowest when higher is better, else the highest); null for a single run.</summary>
    public double? OursWorst { get; init; }

    /// <summary>A detail (e.g. one GEMM shape of many): in the full report, not in the README's summary.</summary>
    public bool Detail { get; init; }

    public string? Note { get; init; }

    /// <summary>Ours / the peer's figure; null without a peer figure or when it is 0.</summary>
    public double? Ratio => PeerValue is { } peer && peer != 0 ? Ours / peer : null;
}
