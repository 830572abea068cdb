using Latent.Data;
using Latent.Engine;
using Latent.Training;

namespace Latent.Applications.AnomalyDetection;

/// <summary>One split of an evaluation: ranking quality on the scored rows and the flags at the detector's threshold.</summary>
public sealed record EvaluationSplit(int Seed, double RocAuc, double PrAuc, float Threshold, ConfusionMatrix AtThreshold);

/// <summary>The splits of an evaluation and their means and (population) standard deviations.</summary>
public sealed record AnomalyEvaluationResult(IReadOnlyList<EvaluationSplit> Splits)
{
    /// <summary>Mean ROC-AUC over the splits.</summary>
    public double RocAuc => Splits.Average(s => s.RocAuc);
    /// <summary>Standard deviation of the ROC-AUC over the splits.</summary>
    public double RocAucStd => Std(Splits.Select(s => s.RocAuc));
    /// <summary>Mean PR-AUC (average precision) over the splits.</summary>
    public double PrAuc => Splits.Average(s => s.PrAuc);
    /// <summary>Standard deviation of the PR-AUC over the splits.</summary>
    public double PrAucStd => Std(Splits.Select(s => s.PrAuc));
    /// <summary>Mean precision at the detector's threshold.</summary>
    public double Precision => Splits.Average(s => s.AtThreshold.Precision);
    /// <summary>Mean recall at the detector's threshold.</summary>
    public double Recall => Splits.Average(s => s.AtThreshold.Recall);
    /// <summary>Mean F1 at the detector's threshold.</summary>
    public double F1 => Splits.Average(s => s.AtThreshold.F1);

    private static double Std(IEnumerable<double> values)
    {
        double[] v = [.. values];
        double mean = v.Average();
        return Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / v.Length);
    }
}

/// <summary>
/// The PyOD benchmark protocol on labelled data: for each seed, fit a detector on a random 60% of the rows with the
/// labels hidden (anomalies included, as in unsupervised use), score the other 40%, and measure ROC-AUC, PR-AUC
/// (average precision) and the confusion matrix at the detector's threshold.
/// </summary>
public static class AnomalyEvaluation
{
    /// <summary>The share of the rows a detector is fitted on.</summary>
    public const double FitFraction = 0.6;

    /// <summary>Random splits when not told otherwise (PyOD's benchmark averages several).</summary>
    public const int DefaultSeeds = 5;

    /// <summary>Evaluates on rows of numbers, with <paramref name="anomalous"/> the truth for each row.</summary>
    /// <param name="progress">Told of every detector's training, with <see cref="TrainingProgress.Stage"/> "split 2 of 5, member 3 of 10".</param>
    /// <exception cref="ArgumentException">The labels do not match the rows, or a split lacks normal rows or anomalies.</exception>
    public static AnomalyEvaluationResult Run(Tensor data, IReadOnlyList<bool> anomalous, AnomalyOptions? options = null, int seeds = DefaultSeeds,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancel = default)
    {
        options ??= new AnomalyOptions();
        if (options.ExcludeColumns is { Count: > 0 }) throw new ArgumentException("ExcludeColumns names table columns, but a tensor has none.");
        return Run(data, null, anomalous, options, seeds, progress, cancel);
    }

    /// <summary>Evaluates on a table, leaving out <paramref name="exclude"/> (the label column, ids) as well as <see cref="AnomalyOptions.ExcludeColumns"/>.</summary>
    public static AnomalyEvaluationResult Run(CsvTable table, IReadOnlyList<bool> anomalous, IEnumerable<string> exclude, AnomalyOptions? options = null,
        int seeds = DefaultSeeds, IProgress<TrainingProgress>? progress = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(exclude);
        options ??= new AnomalyOptions();
        options.Validate();
        TableSchema schema = AnomalyDetector.SchemaFor(table, [.. exclude, .. options.ExcludeColumns], options);
        using Tensor encoded = schema.Encode(table);
        return Run(encoded, schema, anomalous, options, seeds, progress, cancel);
    }

    private static AnomalyEvaluationResult Run(Tensor data, TableSchema? schema, IReadOnlyList<bool> anomalous, AnomalyOptions options, int seeds,
        IProgress<TrainingProgress>? progress, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(anomalous);
        if (options.Window is not null) throw new ArgumentException("The evaluation protocol splits rows at random, which a windowed (time-series) detector cannot use.");
        if (seeds < 1) throw new ArgumentException($"The evaluation needs at least 1 seed, not {seeds}.");
        int rows = data.Rank == 2 ? data.Dim(0) : 0;
        if (anomalous.Count != rows) throw new ArgumentException($"{anomalous.Count} labels for {rows} rows.");
        FeaturePreparation.CheckFinite(data, schema);   // before the splits, so that the message gives the row of the whole data
        int fit = (int)Math.Round(rows * FitFraction);
        var splits = new List<EvaluationSplit>();
        for (int seed = 0; seed < seeds; seed++)
        {
            // Split s is drawn from seed s and its detector seeded options.Seed + s (kept so that bench anomaly's results stay comparable).
            int[] order = new Rng((ulong)seed).Permutation(rows);
            Tensor train, test;
            using (Tensor.NoGrad())
            {
                train = Ops.SelectRows(data, order.AsSpan(0, fit));
                test = Ops.SelectRows(data, order.AsSpan(fit));
            }
            using (train)
            using (test)
            {
                string split = $"split {seed + 1} of {seeds}";
                IProgress<TrainingProgress>? splitProgress = progress is null ? null
                    : new InlineProgress<TrainingProgress>(p => progress.Report(p with { Stage = $"{split}, {p.Stage}" }));
                AnomalyDetector detector = AnomalyDetector.Fit(train, schema, options with { Seed = options.Seed + (ulong)seed }, splitProgress, cancel);
                AnomalyReport report = detector.Score(test);
                bool[] truth = [.. order[fit..].Select(i => anomalous[i])];
                splits.Add(new EvaluationSplit(seed, AnomalyMetrics.RocAuc(report.Scores, truth), AnomalyMetrics.AveragePrecision(report.Scores, truth),
                    detector.Threshold, ConfusionMatrix.Of(report.Flags, truth)));
            }
        }
        return new AnomalyEvaluationResult(splits);
    }
}
