using System.Diagnostics;
using Latent.Data;
using Latent.Engine;

namespace Latent.Applications.Imputation;

/// <summary>Which known cells an evaluation hides.</summary>
public enum MissingPattern
{
    /// <summary>Each known cell with the same probability, whatever its value (MCAR): GAIN's headline setting.</summary>
    Random,

    /// <summary>
    /// In every column, the known cells holding its largest values, that share of them (ties broken at random): missing
    /// not at random (MNAR), the hardest case, since the hidden values lie outside what the known ones show.
    /// </summary>
    Largest,
}

/// <summary>One method's RMSE over the hidden cells: mean and standard deviation over seeds, and each seed's.</summary>
public sealed record ImputationScore(double Rmse, double RmseStd, IReadOnlyList<double> PerSeed);

/// <summary>What <see cref="ImputationEvaluation.Run(CsvTable, double, int, ImputerOptions?, int, Action{int, ImputationEvaluationResult}?, CancellationToken, MissingPattern, Action{int, Tensor, Tensor}?)"/> measured, for ours and the baselines.</summary>
/// <param name="OursGainRounded">
/// Ours after GAIN's own post-processing (its published code, <c>utils.rounding</c>): in every column whose known cells
/// hold fewer than 20 distinct values, the imputed values are rounded to whole numbers in the column's original units
/// before scoring. GAIN's reported RMSE includes this step, so this is the figure to set beside the paper's.
/// </param>
public sealed record ImputationEvaluationResult(double MissingRate, int Seeds, ImputationScore Ours, ImputationScore Mean,
    ImputationScore Knn, double SecondsPerSeed, ImputationScore OursGainRounded);

/// <summary>
/// The GAIN paper's protocol (Yoon et al., 2018): min-max normalise every column to [0, 1] (range + 1e-6, as
/// GAIN's code does), hide each known cell with probability <c>missingRate</c> (MCAR), impute, and report the
/// RMSE over the hidden cells; repeated over seeds 0..seeds−1, for the <see cref="Imputer"/>, the column mean and
/// k-nearest-neighbours. Values are not rounded, except in <see cref="ImputationEvaluationResult.OursGainRounded"/>.
/// </summary>
public static class ImputationEvaluation
{
    /// <summary>The share of known cells hidden when not told otherwise: GAIN's headline setting.</summary>
    public const double DefaultMissingRate = 0.2;

    /// <summary>Repetitions when not told otherwise.</summary>
    public const int DefaultSeeds = 5;

    /// <summary>Evaluates on a table's numeric columns (cells already missing are never hidden nor scored).</summary>
    /// <exception cref="ArgumentException">A column is not numeric.</exception>
    public static ImputationEvaluationResult Run(CsvTable table, double missingRate = DefaultMissingRate, int seeds = DefaultSeeds, ImputerOptions? options = null,
        int neighbours = ImputationBaselines.DefaultNeighbours, Action<int, ImputationEvaluationResult>? seedDone = null, CancellationToken cancel = default,
        MissingPattern pattern = MissingPattern.Random, Action<int, Tensor, Tensor>? masked = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        CheckSettings(missingRate, seeds, options, neighbours);
        foreach (TableColumn column in table.Columns)
            if (column.Kind != ColumnKind.Numeric)
                throw new ArgumentException($"Column '{column.Name}' is not numeric; the GAIN protocol scores numeric columns only, so remove it first.");
        using Tensor data = TableSchema.Fit(table).Encode(table);
        return Run(data, missingRate, seeds, options, neighbours, seedDone, cancel, pattern, masked);
    }

    /// <summary>Evaluates on a numeric matrix [rows, columns] (NaN = unknown: never hidden nor scored).</summary>
    /// <param name="seedDone">Called after each seed with its number and the results so far.</param>
    /// <param name="pattern">Which cells are hidden.</param>
    /// <param name="masked">
    /// Called for each seed, before imputing, with its number, the normalised data and its copy with the cells to
    /// score hidden (NaN): a caller can hand the very same cells to other imputers.
    /// </param>
    public static ImputationEvaluationResult Run(Tensor data, double missingRate = DefaultMissingRate, int seeds = DefaultSeeds, ImputerOptions? options = null,
        int neighbours = ImputationBaselines.DefaultNeighbours, Action<int, ImputationEvaluationResult>? seedDone = null, CancellationToken cancel = default,
        MissingPattern pattern = MissingPattern.Random, Action<int, Tensor, Tensor>? masked = null)
    {
        Imputer.CheckMatrix(data, null);
        CheckSettings(missingRate, seeds, options, neighbours);
        options ??= new ImputerOptions();
        using Tensor normalized = Normalize(data, out double[] min, out double[] range);
        var ours = new List<double>();
        var oursRounded = new List<double>();
        var mean = new List<double>();
        var knn = new List<double>();
        double seconds = 0;
        ImputationEvaluationResult result = null!;
        for (int seed = 0; seed < seeds; seed++)
        {
            cancel.ThrowIfCancellationRequested();
            var (holed, hidden) = pattern == MissingPattern.Largest
                ? HideLargest(normalized, missingRate, new Rng((ulong)seed))
                : Hide(normalized, missingRate, new Rng((ulong)seed));
            using (holed)
            {
                masked?.Invoke(seed, normalized, holed);
                var clock = Stopwatch.StartNew();
                Imputer imputer = Imputer.Fit(holed, options with { Seed = (ulong)seed }, cancel: cancel);
                using (Tensor filled = imputer.Transform(holed))
                {
                    seconds += clock.Elapsed.TotalSeconds;
                    ours.Add(Rmse(filled, normalized, hidden));
                    GainRounding(filled, holed, min, range);
                    oursRounded.Add(Rmse(filled, normalized, hidden));
                }
                using (Tensor filled = ImputationBaselines.ColumnMean(holed)) mean.Add(Rmse(filled, normalized, hidden));
                using (Tensor filled = ImputationBaselines.NearestNeighbours(holed, neighbours)) knn.Add(Rmse(filled, normalized, hidden));
            }
            result = new ImputationEvaluationResult(missingRate, seed + 1, Score(ours), Score(mean), Score(knn), seconds / (seed + 1), Score(oursRounded));
            seedDone?.Invoke(seed, result);
        }
        return result;
    }

    /// <summary>Refuses impossible settings before any work (the imputer's options would otherwise be checked only when the first seed fits).</summary>
    private static void CheckSettings(double missingRate, int seeds, ImputerOptions? options, int neighbours)
    {
        if (!(missingRate > 0 && missingRate < 1)) throw new ArgumentException($"The missing rate (the share of known cells hidden) must be in (0, 1), not {missingRate}.");
        if (seeds < 1) throw new ArgumentException($"The evaluation needs at least 1 seed, not {seeds}.");
        if (neighbours < 1) throw new ArgumentException($"The number of neighbours must be at least 1, not {neighbours}.");
        options?.Validate();
    }

    /// <summary>GAIN's normalisation: (x − min) / (max − min + 1e-6) per column, over the known cells; <paramref name="range"/> is max − min + 1e-6.</summary>
    private static Tensor Normalize(Tensor data, out double[] min, out double[] range)
    {
        int width = data.Dim(1);
        min = new double[width];
        var max = new double[width];
        Array.Fill(min, double.PositiveInfinity);
        Array.Fill(max, double.NegativeInfinity);
        ReadOnlySpan<float> x = data.Span;
        for (int i = 0; i < x.Length; i++)
        {
            if (float.IsNaN(x[i])) continue;
            min[i % width] = Math.Min(min[i % width], x[i]);
            max[i % width] = Math.Max(max[i % width], x[i]);
        }
        range = new double[width];
        for (int j = 0; j < width; j++) range[j] = max[j] - min[j] + 1e-6;
        Tensor result = data.Detach();
        Span<float> y = result.Span;
        for (int i = 0; i < y.Length; i++)
            if (!float.IsNaN(y[i])) y[i] = (float)((y[i] - min[i % width]) / range[i % width]);
        return result;
    }

    /// <summary>
    /// GAIN's rounding, in place: in each column whose known cells in <paramref name="holed"/> hold fewer than 20
    /// distinct values, the filled cells are rounded to whole numbers in original units (half to even, as numpy).
    /// </summary>
    internal static void GainRounding(Tensor filled, Tensor holed, double[] min, double[] range)
    {
        int width = holed.Dim(1);
        ReadOnlySpan<float> known = holed.Span;
        var distinct = new HashSet<float>[width];
        for (int j = 0; j < width; j++) distinct[j] = [];
        for (int i = 0; i < known.Length; i++)
            if (!float.IsNaN(known[i]) && distinct[i % width].Count < 20) distinct[i % width].Add(known[i]);
        Span<float> f = filled.Span;
        for (int i = 0; i < f.Length; i++)
        {
            int j = i % width;
            if (float.IsNaN(known[i]) && distinct[j].Count < 20) f[i] = (float)((Math.Round(f[i] * range[j] + min[j]) - min[j]) / range[j]);
        }
    }

    /// <summary>A copy with each known cell hidden (NaN) with the given probability; the hidden cells' indices.</summary>
    private static (Tensor Holed, int[] Hidden) Hide(Tensor data, double rate, Rng rng)
    {
        Tensor holed = data.Detach();
        Span<float> y = holed.Span;
        var hidden = new List<int>();
        for (int i = 0; i < y.Length; i++)
        {
            if (float.IsNaN(y[i]) || rng.NextFloat() >= rate) continue;
            y[i] = float.NaN;
            hidden.Add(i);
        }
        if (hidden.Count == 0) throw new ArgumentException("No cell was hidden: the table is too small for this missing rate.");
        return (holed, [.. hidden]);
    }

    /// <summary>A copy with, in every column, the given share of its known cells hidden: those with the largest values (ties in random order).</summary>
    private static (Tensor Holed, int[] Hidden) HideLargest(Tensor data, double rate, Rng rng)
    {
        Tensor holed = data.Detach();
        Span<float> y = holed.Span;
        int width = data.Dim(1);
        var hidden = new List<int>();
        for (int c = 0; c < width; c++)
        {
            var cells = new List<(float Value, float Tie, int Index)>();
            for (int i = c; i < y.Length; i += width)
                if (!float.IsNaN(y[i])) cells.Add((-y[i], rng.NextFloat(), i));
            cells.Sort();
            foreach (var cell in cells.Take((int)Math.Round(rate * cells.Count))) hidden.Add(cell.Index);
        }
        foreach (int i in hidden) y[i] = float.NaN;
        if (hidden.Count == 0) throw new ArgumentException("No cell was hidden: the table is too small for this missing rate.");
        hidden.Sort();
        return (holed, [.. hidden]);
    }

    private static double Rmse(Tensor filled, Tensor truth, int[] hidden)
    {
        ReadOnlySpan<float> f = filled.Span, t = truth.Span;
        double sum = 0;
        foreach (int i in hidden) sum += (double)(f[i] - t[i]) * (f[i] - t[i]);
        return Math.Sqrt(sum / hidden.Length);
    }

    private static ImputationScore Score(List<double> perSeed)
    {
        double mean = perSeed.Average();
        double std = Math.Sqrt(perSeed.Sum(v => (v - mean) * (v - mean)) / perSeed.Count);   // population std, as numpy's default
        return new ImputationScore(mean, std, [.. perSeed]);
    }
}
