using Latent.Engine;

namespace Latent.Applications.AnomalyDetection;

/// <summary>
/// Empirical tail probabilities, after ECOD (Li et al. 2022; <see cref="AnomalyScorers.Tails"/>): for feature j of a
/// row, with n fitted rows of which a are at or below its value and b at or above it, the feature's score is
/// −log(min(a + 1, b + 1) / (n + 1)), so a value beyond every fitted row scores log(n + 1) and a median value about
/// log 2. A row's score is the sum over features, relative to its median over the fitted rows. Unlike ECOD, which
/// picks one tail per feature by the fitted column's skewness, both tails count, which scores every feature the same
/// way and splits the score exactly over the features.
/// </summary>
internal sealed class EmpiricalTails : IRowScorer
{
    /// <summary>At most this many fitted rows are kept (a random sample of them): the tails' resolution is 1 / (n + 1).</summary>
    public const int MaxRows = 8192;

    public EmpiricalTails(Tensor sortedColumns, float median)
    {
        if (sortedColumns.Rank != 2 || sortedColumns.Dim(1) < 1 || !(median > 0))
            throw new InvalidDataException("The detector's tail statistics are inconsistent.");
        SortedColumns = sortedColumns;
        Median = median;
    }

    /// <summary>Each feature's fitted values in ascending order [Width, rows].</summary>
    public Tensor SortedColumns { get; }

    /// <summary>The median row score over the fitted rows.</summary>
    public float Median { get; }

    public int Width => SortedColumns.Dim(0);

    /// <summary>Learns the columns' distributions from <paramref name="rows"/> [rows, width] (a random <see cref="MaxRows"/> of them when there are more).</summary>
    public static EmpiricalTails Fit(Tensor rows, Rng rng)
    {
        int count = rows.Dim(0), width = rows.Dim(1);
        int[] kept = count <= MaxRows ? [.. Enumerable.Range(0, count)] : rng.Permutation(count)[..MaxRows];
        var sorted = Tensor.Zeros(width, kept.Length);
        ReadOnlySpan<float> x = rows.Span;
        Span<float> columns = sorted.Span;
        for (int j = 0; j < width; j++)
        {
            Span<float> column = columns.Slice(j * kept.Length, kept.Length);
            for (int i = 0; i < kept.Length; i++) column[i] = x[kept[i] * width + j];
            column.Sort();
        }
        var unscaled = new EmpiricalTails(sorted, 1f);
        var totals = new float[count];
        const int Block = 4096;   // rows per pass: bounds the memory of the per-feature scores
        var errors = new float[Math.Min(count, Block) * width];
        for (int first = 0; first < count; first += Block)
        {
            int n = Math.Min(Block, count - first);
            unscaled.Errors(x.Slice(first * width, n * width), n, errors);
            Ensemble.RowSums(errors, width, totals.AsSpan(first, n));
        }
        return new EmpiricalTails(sorted, Ensemble.TypicalError(totals));
    }

    public void FeatureErrors(Tensor x, Span<float> errors) => Errors(x.Span, x.Dim(0), errors);

    private void Errors(ReadOnlySpan<float> values, int rows, Span<float> errors)
    {
        int width = Width, n = SortedColumns.Dim(1);
        ReadOnlySpan<float> columns = SortedColumns.Span;
        double logAll = Math.Log(n + 1);
        for (int j = 0; j < width; j++)
        {
            ReadOnlySpan<float> column = columns.Slice(j * n, n);
            for (int r = 0; r < rows; r++)
            {
                float v = values[r * width + j];
                int atOrBelow = UpperBound(column, v), atOrAbove = n - LowerBound(column, v);
                errors[r * width + j] = (float)((logAll - Math.Log(Math.Min(atOrBelow, atOrAbove) + 1)) / Median);
            }
        }
    }

    /// <summary>The number of values below <paramref name="v"/>.</summary>
    private static int LowerBound(ReadOnlySpan<float> sorted, float v)
    {
        int low = 0, high = sorted.Length;
        while (low < high)
        {
            int mid = (low + high) >>> 1;
            if (sorted[mid] < v) low = mid + 1;
            else high = mid;
        }
        return low;
    }

    /// <summary>The number of values at or below <paramref name="v"/>.</summary>
    private static int UpperBound(ReadOnlySpan<float> sorted, float v)
    {
        int low = 0, high = sorted.Length;
        while (low < high)
        {
            int mid = (low + high) >>> 1;
            if (sorted[mid] <= v) low = mid + 1;
            else high = mid;
        }
        return low;
    }
}
