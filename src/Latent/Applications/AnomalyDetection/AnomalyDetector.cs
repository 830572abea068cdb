using Latent.Data;
using Latent.Engine;
using Latent.Models;
using Latent.Reporting;
using Latent.Training;

namespace Latent.Applications.AnomalyDetection;

/// <summary>
/// Finds anomalous rows by reconstruction error and by distance to their neighbours: an ensemble of small autoencoders
/// learns to rebuild mostly normal rows, so rows unlike them are rebuilt badly, and rows far from their k-th nearest
/// fitted row are unlike them too (<see cref="AnomalyOptions.Scorers"/>). Rows are prepared as <see cref="FeaturePreparation"/> describes
/// (constant columns dropped, robust scaling, one-hot categories), each member trains robustly on its own sample
/// (<see cref="EnsembleMember"/>, through the shared <see cref="Trainer"/>), and a row's score is the mean of the scorers'
/// relative scores (about 1 for a typical row), split into per-column contributions. A <see cref="ThresholdRule"/> turns scores into flags. Time series are scored
/// through sliding windows (<see cref="AnomalyOptions.Window"/>), with scores mapped back to each time step.
/// </summary>
/// <example>
/// <code>
/// var options = new AnomalyOptions { Threshold = ThresholdRule.FalsePositiveRate(0.01), ExcludeColumns = ["id"] };
/// var detector = AnomalyDetector.Fit(CsvTable.Read("normal.csv"), options);
/// AnomalyReport report = detector.Score(CsvTable.Read("new.csv"));
/// var why = report.TopColumns(row: 0);            // e.g. [("amount", 0.81), ("hour", 0.12), …]
/// detector.Save("detector.safetensors");
/// </code>
/// </example>
[ModelKind("anomaly-detector", "an anomaly detector")]
public sealed class AnomalyDetector : ISavedModel
{
    private readonly FeaturePreparation _features;
    private readonly CombinedScorer _scorer;

    internal AnomalyDetector(FeaturePreparation features, CombinedScorer scorer, AnomalyOptions options, float threshold)
    {
        _features = features;
        _scorer = scorer;
        Options = options;
        Threshold = threshold;
    }

    /// <summary>The options it was fitted with, including the threshold rule.</summary>
    public AnomalyOptions Options { get; }

    /// <summary>The score above which a row (or time step) is flagged.</summary>
    public float Threshold { get; }

    /// <summary>The columns of the table it was fitted on (null when fitted on plain numbers).</summary>
    public TableSchema? Schema => _features.Schema;

    /// <summary>The width of the encoded rows it scores.</summary>
    public int InputWidth => _features.InputWidth;

    /// <summary>The columns that contributions are reported for.</summary>
    public IReadOnlyList<string> Columns => _features.Sources;

    /// <summary>Encoded columns that were constant when fitting; they are ignored.</summary>
    public IReadOnlyList<string> DroppedColumns => _features.Dropped;

    internal FeaturePreparation Features => _features;
    internal CombinedScorer Scorer => _scorer;

    /// <summary>Learns normal rows from <paramref name="data"/> [rows, columns] of numbers.</summary>
    /// <param name="progress">Told of every member's epochs, with <see cref="TrainingProgress.Stage"/> "member 3 of 10".</param>
    /// <exception cref="ArgumentException">A cell is NaN or infinite (the message names row and column), every column is constant, there are too few rows, or an option is invalid.</exception>
    public static AnomalyDetector Fit(Tensor data, AnomalyOptions? options = null, IProgress<TrainingProgress>? progress = null, CancellationToken cancel = default)
    {
        options ??= new AnomalyOptions();
        if (options.ExcludeColumns is { Count: > 0 } names)
            throw new ArgumentException($"ExcludeColumns ({string.Join(", ", names)}) names table columns, but a tensor has none; select the columns to fit on instead.");
        return Fit(data, null, options, progress, cancel);
    }

    /// <summary>Learns normal rows from a table: numeric columns and categorical ones (one-hot), leaving out <see cref="AnomalyOptions.ExcludeColumns"/> (ids, labels, time stamps).</summary>
    /// <param name="progress">Told of every member's epochs, with <see cref="TrainingProgress.Stage"/> "member 3 of 10".</param>
    /// <exception cref="ArgumentException">A cell is missing (the message names row and column), a text column has too many distinct values, an excluded column does not exist, or an option is invalid.</exception>
    public static AnomalyDetector Fit(CsvTable table, AnomalyOptions? options = null, IProgress<TrainingProgress>? progress = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        options ??= new AnomalyOptions();
        options.Validate();
        TableSchema schema = SchemaFor(table, options.ExcludeColumns, options);
        using Tensor encoded = schema.Encode(table);
        return Fit(encoded, schema, options, progress, cancel);
    }

    /// <summary>The table's schema, refusing text columns that are no categories.</summary>
    internal static TableSchema SchemaFor(CsvTable table, IEnumerable<string>? exclude, AnomalyOptions options)
    {
        TableSchema schema = TableSchema.Fit(table, exclude);
        foreach (SchemaColumn column in schema.Columns)
            if (column.Kind == ColumnKind.Categorical && column.Categories.Count > options.MaxCategories)
                throw new ArgumentException(
                    $"Column '{column.Name}' holds text with {column.Categories.Count} distinct values, too many to be categories (at most {options.MaxCategories}); leave it out if it is an id or a time stamp.");
        return schema;
    }

    /// <summary>
    /// Fits on encoded rows. The random streams are forked from one <c>new Rng(options.Seed)</c>, in this order: the
    /// rows held out for calibration, the autoencoders (see <see cref="Ensemble.Train"/>), the neighbour samples and
    /// the tails' sample, each drawn whether or not its scorer is used, so that adding a scorer leaves the others as they were.
    /// </summary>
    internal static AnomalyDetector Fit(Tensor encoded, TableSchema? schema, AnomalyOptions options, IProgress<TrainingProgress>? progress, CancellationToken cancel)
    {
        options.Validate();
        ArgumentNullException.ThrowIfNull(encoded);
        if (encoded.Rank != 2 || (schema is not null && encoded.Dim(1) != schema.EncodedWidth))
            throw new ArgumentException($"A detector is fitted on rows [rows, columns]; got shape [{string.Join(", ", encoded.Shape)}].");
        int rows = encoded.Dim(0);
        FeaturePreparation.CheckFinite(encoded, schema);   // before rows are shuffled, so that the message gives the row as it was
        bool calibrate = options.Threshold.Kind == ThresholdKind.FalsePositiveRate;
        int heldOut = calibrate ? (int)Math.Round(rows * options.CalibrationFraction) : 0;
        int minimum = Math.Max(2, options.Window ?? 1);
        if (rows - heldOut < minimum || (calibrate && heldOut < minimum))
            throw new ArgumentException($"{Counted.Of(rows, "row")} {(rows == 1 ? "is" : "are")} too few to fit a detector{(calibrate ? " and calibrate its false-positive rate on held-out rows" : "")}.");

        // A series keeps its order (the held-out part is its end); table rows are held out at random.
        var rng = new Rng(options.Seed);
        Rng holdOutRng = rng.Fork(), ensembleRng = rng.Fork(), neighbourRng = rng.Fork(), tailRng = rng.Fork();
        int[] order = options.Window is null ? holdOutRng.Permutation(rows) : [.. Enumerable.Range(0, rows)];
        using Tensor fitRows = Rows(encoded, order.AsSpan(0, rows - heldOut));
        FeaturePreparation features = FeaturePreparation.Fit(fitRows, schema);
        CombinedScorer scorer;
        using (Tensor prepared = features.Apply(fitRows))
        using (Tensor samples = options.Window is { } window ? SlidingWindows.Gather(prepared, window, options.Stride) : prepared.Detach())
            scorer = new CombinedScorer(
                options.Scorers.HasFlag(AnomalyScorers.Autoencoders) ? Ensemble.Train(samples, options, ensembleRng, progress, cancel) : null,
                options.Scorers.HasFlag(AnomalyScorers.Neighbours) ? NeighbourDistance.Fit(samples, options, neighbourRng, cancel) : null,
                options.Scorers.HasFlag(AnomalyScorers.Tails) ? EmpiricalTails.Fit(samples, tailRng) : null);

        float[] fitted = ScoresOf(features, scorer, options, fitRows);
        float[] calibration = [];
        if (calibrate)
        {
            using Tensor held = Rows(encoded, order.AsSpan(rows - heldOut));
            calibration = ScoresOf(features, scorer, options, held);
        }
        float threshold = options.Threshold.Resolve(fitted, calibration);
        return new AnomalyDetector(features, scorer, options, threshold);
    }

    /// <summary>Scores rows of numbers [rows, <see cref="InputWidth"/>] (a time series in time order for a windowed detector).</summary>
    /// <exception cref="ArgumentException">The rows have the wrong width or a cell that is not a finite number (the message names row and column).</exception>
    public AnomalyReport Score(Tensor data)
    {
        AnomalyStream stream = OpenStream();
        AnomalyReport rows = stream.Push(data), rest = stream.Finish();
        return AnomalyReport.Concat(rest.Count == 0 ? [rows] : [rows, rest], Threshold, Columns);
    }

    /// <summary>Scores the rows of a table with the columns the detector was fitted on (excluded columns may be absent).</summary>
    /// <exception cref="InvalidDataException">The table's columns differ from the detector's: the message says how.</exception>
    /// <exception cref="ArgumentException">The detector was fitted on plain numbers, not a table (a detector opened from a file may be either, so this is bad input, not a bug).</exception>
    public AnomalyReport Score(CsvTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        TableSchema schema = Schema ?? throw FittedOnNumbers();
        using Tensor encoded = schema.Encode(table);
        return Score(encoded);
    }

    /// <summary>The error for a table given to a detector fitted on plain numbers.</summary>
    internal static ArgumentException FittedOnNumbers() =>
        new("This detector was fitted on plain numbers, not a table, so it cannot read a table's columns; score rows of numbers instead.");

    /// <summary>A stream that scores rows arriving in parts, in constant memory (see <see cref="AnomalyStream"/>).</summary>
    public AnomalyStream OpenStream() => new(_features, _scorer, Threshold, Options.Window, Options.Stride);

    /// <summary>Saves the whole detector (models, scaling, columns, threshold, options) as one safetensors file, atomically.</summary>
    public void Save(string path) => ModelFile.Save(path, DetectorFile.Content(this));

    ModelContent ISavedModel.Content() => DetectorFile.Content(this);

    /// <summary>Reads a detector saved by <see cref="Save"/>; refuses other files with a clear message.</summary>
    /// <exception cref="InvalidDataException">The file is not a detector or is damaged.</exception>
    public static AnomalyDetector Open(string path) => DetectorFile.Open(path);

    private static float[] ScoresOf(FeaturePreparation features, IRowScorer scorer, AnomalyOptions options, Tensor encoded)
    {
        var stream = new AnomalyStream(features, scorer, float.NaN, options.Window, options.Stride);
        AnomalyReport rows = stream.Push(encoded), rest = stream.Finish();
        return [.. rows.Scores, .. rest.Scores];
    }

    private static Tensor Rows(Tensor data, ReadOnlySpan<int> rows)
    {
        using (Tensor.NoGrad()) return Ops.SelectRows(data, rows);
    }
}
