namespace Latent.Applications.AnomalyDetection;

/// <summary>
/// Scores of rows (or, for a time series, of time steps): each row's score, whether it is above the threshold,
/// and how much each column contributed. Contributions add up to the score, so a column's share of the score says
/// how much of the row's anomaly it explains.
/// </summary>
public sealed class AnomalyReport
{
    private readonly float[] _scores, _contributions;
    private readonly bool[] _flags;

    internal AnomalyReport(long firstRow, float[] scores, float threshold, IReadOnlyList<string> columns, float[] contributions)
    {
        if (contributions.Length != scores.Length * columns.Count) throw new ArgumentException("Contributions must have one value per row and column.");
        FirstRow = firstRow;
        _scores = scores;
        _contributions = contributions;
        Threshold = threshold;
        Columns = columns;
        _flags = [.. scores.Select(s => s > threshold)];
    }

    /// <summary>The position (from 0) of the first row among all rows scored by the same call or stream.</summary>
    public long FirstRow { get; }

    /// <summary>The number of rows.</summary>
    public int Count => _scores.Length;

    /// <summary>Each row's score: the mean of the detector's scores (reconstruction error, neighbour distance), each relative to the typical fitted row (about 1 for a normal row).</summary>
    public IReadOnlyList<float> Scores => _scores;

    /// <summary>The score above which a row is flagged.</summary>
    public float Threshold { get; }

    /// <summary>Whether each row is flagged as anomalous.</summary>
    public IReadOnlyList<bool> Flags => _flags;

    /// <summary>The number of flagged rows.</summary>
    public int FlaggedCount => _flags.Count(f => f);

    /// <summary>The columns of the contributions: the detector's input columns that were not dropped as constant.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>The contribution of each of <see cref="Columns"/> to the score of <paramref name="row"/>.</summary>
    public ReadOnlySpan<float> Contributions(int row)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(row);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(row, Count);
        return _contributions.AsSpan(row * Columns.Count, Columns.Count);
    }

    /// <summary>The <paramref name="count"/> columns that contributed most to the score of <paramref name="row"/>, with their share of it.</summary>
    public IReadOnlyList<(string Column, float Share)> TopColumns(int row, int count = 3)
    {
        float[] c = Contributions(row).ToArray();
        float total = _scores[row] > 0 ? _scores[row] : 1f;
        int[] order = [.. Enumerable.Range(0, c.Length)];
        Array.Sort([.. c], order, Comparer<float>.Create((a, b) => b.CompareTo(a)));
        return [.. order.Take(count).Select(i => (Columns[i], c[i] / total))];
    }

    /// <summary>The reports of consecutive parts of one scoring, as one.</summary>
    internal static AnomalyReport Concat(IReadOnlyList<AnomalyReport> parts, float threshold, IReadOnlyList<string> columns)
    {
        if (parts.Count == 1) return parts[0];
        return new AnomalyReport(parts.Count > 0 ? parts[0].FirstRow : 0, [.. parts.SelectMany(p => p._scores)], threshold, columns,
            [.. parts.SelectMany(p => p._contributions)]);
    }
}
