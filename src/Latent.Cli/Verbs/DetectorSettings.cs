using System.CommandLine;
using System.Globalization;
using Latent.Applications.AnomalyDetection;

namespace Latent.Cli.Verbs;

/// <summary>The options of `latent detect fit` and `latent detect evaluate` that say how a detector is built and thresholded.</summary>
internal sealed class DetectorSettings
{
    private readonly Option<double?> _contamination = new("--contamination") { Description = "Expected share of anomalies among the fitted rows; that share of them is flagged." };
    private readonly Option<double?> _fpr = new("--fpr") { Description = "Target false-positive rate, calibrated on normal rows held out from training (the fitted rows should be normal)." };
    private readonly Option<string?> _threshold = new("--threshold") { Description = "auto (the default: Tukey's far-out fence on the fitted rows' scores) or a fixed score (1 ≈ a typical row)." };
    private readonly Option<int> _members = new("--members") { Description = "Autoencoders in the ensemble.", DefaultValueFactory = _ => 10 };
    private readonly Option<int> _sampleRows = new("--sample-rows") { Description = "Rows each member trains on.", DefaultValueFactory = _ => 256 };
    private readonly Option<int> _epochs = new("--epochs") { Description = "Passes over each member's sample.", DefaultValueFactory = _ => 100 };
    private readonly Option<int?> _code = new("--code") { Description = "Code size of every member (default: drawn per member between 1/4 and 1/2 of the columns)." };
    private readonly Option<string?> _hidden = new("--hidden") { Description = "Encoder layer widths, comma-separated (default: one layer of twice the code size, at least 8)." };
    private readonly Option<float> _trim = new("--trim") { Description = "Robust training: share of each member's worst-rebuilt rows left out of each epoch.", DefaultValueFactory = _ => 0.3f };
    private readonly Option<ulong> _seed = new("--seed") { Description = "Random seed (same seed, same scores).", DefaultValueFactory = _ => 0 };
    private readonly Option<int?> _window = new("--window") { Description = "Time series: score windows of this many consecutive rows; each row gets the mean score of its windows." };
    private readonly Option<int> _stride = new("--stride") { Description = "Time series: rows between window starts.", DefaultValueFactory = _ => 1 };
    private readonly bool _windows;

    public DetectorSettings(bool windows) => _windows = windows;

    public IEnumerable<Option> All => _windows
        ? [_contamination, _fpr, _threshold, _members, _sampleRows, _epochs, _code, _hidden, _trim, _seed, _window, _stride]
        : [_contamination, _fpr, _threshold, _members, _sampleRows, _epochs, _code, _hidden, _trim, _seed];

    public AnomalyOptions Read(ParseResult parse)
    {
        float trim = parse.GetValue(_trim);
        if (!(trim >= 0 && trim < 0.9f)) throw new UsageException($"--trim must be at least 0 and below 0.9, not {trim.ToString(CultureInfo.InvariantCulture)}.");
        int? code = parse.GetValue(_code), window = _windows ? parse.GetValue(_window) : null;
        int stride = _windows ? parse.GetValue(_stride) : 1;
        if (code is not null) CommonOptions.Positive(code.Value, "--code");
        if (window is not null) CommonOptions.Positive(window.Value, "--window");
        if (window is null && parse.GetResult(_stride) is { Implicit: false }) throw new UsageException("--stride needs --window.");
        if (window is { } w && (stride < 1 || stride > w)) throw new UsageException($"--stride must be between 1 and the window ({w}), not {stride}.");
        string? hidden = parse.GetValue(_hidden);
        return new AnomalyOptions
        {
            Threshold = Threshold(parse),
            Members = CommonOptions.Positive(parse.GetValue(_members), "--members"),
            SampleRows = Math.Max(2, CommonOptions.Positive(parse.GetValue(_sampleRows), "--sample-rows")),
            Epochs = CommonOptions.Positive(parse.GetValue(_epochs), "--epochs"),
            CodeSize = code,
            Hidden = hidden is null ? null : CommonOptions.ParseWidths(hidden),
            TrimFraction = trim,
            Seed = parse.GetValue(_seed),
            Window = window,
            Stride = stride,
        };
    }

    private ThresholdRule Threshold(ParseResult parse)
    {
        double? contamination = parse.GetValue(_contamination), fpr = parse.GetValue(_fpr);
        string? threshold = parse.GetValue(_threshold);
        if ((contamination is null ? 0 : 1) + (fpr is null ? 0 : 1) + (threshold is null ? 0 : 1) > 1)
            throw new UsageException("Give at most one of --contamination, --fpr and --threshold.");
        if (contamination is { } c)
            return c > 0 && c < 0.5 ? ThresholdRule.Contamination(c) : throw new UsageException($"--contamination must be a fraction between 0 and 0.5, not {c.ToString(CultureInfo.InvariantCulture)}.");
        if (fpr is { } f)
            return f > 0 && f < 0.5 ? ThresholdRule.FalsePositiveRate(f) : throw new UsageException($"--fpr must be a fraction between 0 and 0.5, not {f.ToString(CultureInfo.InvariantCulture)}.");
        if (threshold is null || threshold.Equals("auto", StringComparison.OrdinalIgnoreCase)) return ThresholdRule.Auto;
        return double.TryParse(threshold, NumberStyles.Float, CultureInfo.InvariantCulture, out double score) && double.IsFinite(score) && score >= 0
            ? ThresholdRule.Fixed(score)
            : throw new UsageException($"--threshold must be auto or a score of at least 0, not '{threshold}'.");
    }

    /// <summary>Column names from a comma-separated option value (empty entries ignored).</summary>
    public static string[] Names(string? text) => text is null ? [] : text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
}
