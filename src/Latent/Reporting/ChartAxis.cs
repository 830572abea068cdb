using System.Globalization;

namespace Latent.Reporting;

/// <summary>
/// One axis of a chart: a range that starts and ends on "nice" round values covering the data, the tick values
/// inside it, their labels, and the mapping from data values to a fraction of the axis length.
/// </summary>
internal sealed class ChartAxis
{
    private readonly double _start, _end;   // in axis units: the value itself, or its log10 on a log scale
    private readonly Func<double, string> _format;

    private ChartAxis(bool log, double min, double max, IReadOnlyList<double> ticks, Func<double, string> format)
    {
        Log = log;
        Ticks = ticks;
        _format = format;
        (_start, _end) = (ToAxisUnits(min), ToAxisUnits(max));
    }

    public bool Log { get; }

    /// <summary>Tick values in data units, ascending, all inside the axis range.</summary>
    public IReadOnlyList<double> Ticks { get; }

    /// <summary>Whether a value has a place on an axis of this kind (finite, and positive on a log scale).</summary>
    public static bool CanShow(double value, bool log) => double.IsFinite(value) && (!log || value > 0);

    /// <summary>Where <paramref name="value"/> lies along the axis: 0 at the start, 1 at the end.</summary>
    public double Fraction(double value) => (ToAxisUnits(value) - _start) / (_end - _start);

    public string Label(double tick) => _format(tick);

    /// <summary>
    /// An axis covering every showable value with about <paramref name="targetTicks"/> ticks. An empty input gets a
    /// unit range; all-equal values get a range around them, so a flat line sits in the middle.
    /// </summary>
    public static ChartAxis Fit(IEnumerable<double> values, bool log, int targetTicks = 5)
    {
        double low = double.PositiveInfinity, high = double.NegativeInfinity;
        bool integers = true;
        foreach (double v in values)
        {
            if (!CanShow(v, log)) continue;
            low = Math.Min(low, v);
            high = Math.Max(high, v);
            integers &= Math.Floor(v) == v;
        }
        bool empty = low > high;
        return log
            ? FitLog(empty ? 1 : low, empty ? 10 : high)
            : FitLinear(empty ? 0 : low, empty ? 1 : high, integers && !empty, targetTicks);
    }

    /// <summary>
    /// An axis of <paramref name="count"/> equal slots, e.g. one per bar, and no ticks: slot i spans [i, i + 1], so
    /// its centre is at i + 0.5. The chart labels the slots itself.
    /// </summary>
    public static ChartAxis Categories(int count) =>
        new(log: false, 0, Math.Max(1, count), [], _ => "");

    private static ChartAxis FitLinear(double low, double high, bool integers, int targetTicks)
    {
        if (low == high)
        {
            double margin = low == 0 ? 1 : Math.Abs(low) * 0.1;
            (low, high) = (low - margin, high + margin);
        }
        double step = NiceStep((high - low) / targetTicks);
        if (integers) step = Math.Max(step, 1);   // epochs 1..3 should not get a tick at 1.5
        // The small tolerance keeps 1.0 / 0.2 = 5.000000001 from adding a whole extra step.
        long first = (long)Math.Floor(low / step + 1e-9), last = (long)Math.Ceiling(high / step - 1e-9);
        var ticks = new List<double>();
        for (long k = first; k <= last; k++) ticks.Add(k * step);

        int decimals = Math.Clamp((int)Math.Ceiling(-Math.Log10(step) - 1e-9), 0, 15);
        bool huge = Math.Max(Math.Abs(ticks[0]), Math.Abs(ticks[^1])) >= 1e7;
        string Format(double v)
        {
            if (Math.Abs(v) < step * 1e-6) v = 0;   // avoids "-0.0" from rounding error
            return huge
                ? v.ToString("0.###E0", CultureInfo.InvariantCulture)
                : v.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        }
        return new ChartAxis(log: false, ticks[0], ticks[^1], ticks, Format);
    }

    /// <summary>Ticks at 1, 2, 5 × 10^k over up to three decades; whole decades (thinned out) beyond that.</summary>
    private static ChartAxis FitLog(double low, double high)
    {
        double decades = Math.Log10(high) - Math.Log10(low);
        double[] mantissas = decades <= 3 ? [1, 2, 5] : [1];
        int stride = decades > 10 ? (int)Math.Ceiling(decades / 8) : 1;
        int firstDecade = (int)Math.Floor(Math.Log10(low)) - stride, lastDecade = (int)Math.Ceiling(Math.Log10(high)) + stride;
        var candidates = new List<double>();
        for (int k = firstDecade; k <= lastDecade; k++)
            if (((k % stride) + stride) % stride == 0)
                foreach (double m in mantissas) candidates.Add(m * Math.Pow(10, k));

        // The range runs from the last candidate at or below the data to the first at or above it (with a
        // relative tolerance so that 0.01 matches 10^-2 computed by Pow).
        int lower = candidates.FindLastIndex(c => c <= low * (1 + 1e-9));
        int upper = candidates.FindIndex(c => c >= high * (1 - 1e-9));
        if (lower == upper) (lower, upper) = (lower - 1, upper + 1);   // one value exactly on a tick
        var ticks = candidates.GetRange(lower, upper - lower + 1);
        return new ChartAxis(log: true, ticks[0], ticks[^1], ticks, FormatCompact);
    }

    /// <summary>1, 2, 5 or 10 times a power of ten, the smallest at least <paramref name="raw"/>-ish.</summary>
    private static double NiceStep(double raw)
    {
        double magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double fraction = raw / magnitude;
        double nice = fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10;
        return nice * magnitude;
    }

    private static string FormatCompact(double v) =>
        v >= 1e-4 && v < 1e6
            ? v.ToString("0.####", CultureInfo.InvariantCulture)
            : v.ToString("0.##E0", CultureInfo.InvariantCulture);

    private double ToAxisUnits(double value) => Log ? Math.Log10(value) : value;
}
