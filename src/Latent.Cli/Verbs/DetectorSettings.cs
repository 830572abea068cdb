using System.CommandLine;
using System.Globalization;
using Latent.Applications.AnomalyDetection;

namespace Latent.Cli.Verbs;

/// <summary>
/// The options of `latent detect fit` and `latent detect evaluate` that say how a detector is built and thresholded.
/// Defaults come from <see cref="AnomalyOptions"/>, and the library checks the values (its messages name the settings).
/// </summary>
internal sealed class DetectorSettings
{
    private static readonly AnomalyOptions Defaults = new();

    private readonly Option<double?> _contamination = new("--contamination") { Description = "Expected share of anomalies among the fitted rows; that share of them is flagged." };
    private readonly Option<double?> _fpr = new("--fpr") { Description = "Target false-positive rate, calibrated on normal rows held out from training (the fitted rows should be normal)." };
    private readonly Option<string?> _threshold = new("--threshold")
    {
        Description = $"auto (Tukey's far-out fence on the fitted rows' scores) or a fixed score (1 ≈ a typical row). Default: {Defaults.Threshold}.",
    };
    private readonly Option<int> _members = new("--members") { Description = "Autoencoders in the ensemble.", DefaultValueFactory = _ => Defaults.Members };
    private readonly Option<int> _sampleRows = new("--sample-rows") { Description = "Rows each member trains on.", DefaultValueFactory = _ => Defaults.SampleRows };
    private readonly Option<int> _epochs = new("--epochs") { Description = "Passes over each member's sample.", DefaultValueFactory = _ => Defaults.Epochs };
    private readonly Option<int?> _code = new("--code") { Description = "Code size of every member (default: each member draws its own, a fraction of the columns)." };
    private readonly Option<string?> _hidden = new("--hidden") { Description = "Encoder layer widths, comma-separated (default: one layer sized from the code size)." };
    private readonly Option<float> _trim = new("--trim")
    {
        Description = "Robust training: share of each member's worst-rebuilt rows left out of each epoch.", DefaultValueFactory = _ => Defaults.TrimFraction,
    };
    private readonly Option<ulong> _seed = new("--seed") { Description = "Random seed (same seed, same scores).", DefaultValueFactory = _ => Defaults.Seed };
    private readonly Option<int?> _window = new("--window") { Description = "Time series: score windows of this many consecutive rows; each row gets the mean score of its windows." };
    private readonly Option<string> _autoencoder = new Option<string>("--autoencoder")
    {
        Description = "Time series: dense autoencoders read each window at once; lstm ones read it step by step (needs --window).",
        DefaultValueFactory = _ => Defaults.Autoencoder.ToString().ToLowerInvariant(),
    }.AcceptOnlyFromAmong("dense", "lstm");
    private readonly Option<int> _stride = new("--stride") { Description = "Time series: rows between window starts.", DefaultValueFactory = _ => Defaults.Stride };
    private readonly bool _windows;

    public DetectorSettings(bool windows) => _windows = windows;

    public IEnumerable<Option> All => _windows
        ? [_contamination, _fpr, _threshold, _members, _sampleRows, _epochs, _code, _hidden, _trim, _seed, _window, _stride, _autoencoder]
        : [_contamination, _fpr, _threshold, _members, _sampleRows, _epochs, _code, _hidden, _trim, _seed];

    /// <summary>The options as given; <see cref="AnomalyDetector.Fit(Latent.Data.CsvTable, AnomalyOptions?, IProgress{Latent.Training.TrainingProgress}?, CancellationToken)"/> validates them.</summary>
    public AnomalyOptions Read(ParseResult parse, IReadOnlyList<string> exclude)
    {
        int? window = _windows ? parse.GetValue(_window) : null;
        if (window is null && _windows && parse.GetResult(_stride) is { Implicit: false }) throw new UsageException("--stride needs --window.");
        if (window is null && _windows && parse.GetValue(_autoencoder) == "lstm") throw new UsageException("--autoencoder lstm needs --window.");
        string? hidden = parse.GetValue(_hidden);
        return Defaults with
        {
            Threshold = Threshold(parse),
            Members = parse.GetValue(_members),
            SampleRows = parse.GetValue(_sampleRows),
            Epochs = parse.GetValue(_epochs),
            CodeSize = parse.GetValue(_code),
            Hidden = hidden is null ? null : CommonOptions.ParseWidths(hidden),
            TrimFraction = parse.GetValue(_trim),
            Seed = parse.GetValue(_seed),
            Window = window,
            Stride = _windows ? parse.GetValue(_stride) : Defaults.Stride,
            Autoencoder = _windows && parse.GetValue(_autoencoder) == "lstm" ? DetectorAutoencoder.Lstm : DetectorAutoencoder.Dense,
            ExcludeColumns = exclude,
        };
    }

    /// <summary>The threshold rule of the one option given (the rule checks its value).</summary>
    private ThresholdRule Threshold(ParseResult parse)
    {
        double? contamination = parse.GetValue(_contamination), fpr = parse.GetValue(_fpr);
        string? threshold = parse.GetValue(_threshold);
        if ((contamination is null ? 0 : 1) + (fpr is null ? 0 : 1) + (threshold is null ? 0 : 1) > 1)
            throw new UsageException("Give at most one of --contamination, --fpr and --threshold.");
        if (contamination is { } c) return ThresholdRule.Contamination(c);
        if (fpr is { } f) return ThresholdRule.FalsePositiveRate(f);
        if (threshold is null) return Defaults.Threshold;
        if (threshold.Equals("auto", StringComparison.OrdinalIgnoreCase)) return ThresholdRule.Auto;
        return double.TryParse(threshold, NumberStyles.Float, CultureInfo.InvariantCulture, out double score)
            ? ThresholdRule.Fixed(score)
            : throw new UsageException($"--threshold must be auto or a score, not '{threshold}'.");
    }
}
