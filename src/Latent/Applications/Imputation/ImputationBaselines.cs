using Latent.Data;
using Latent.Engine;

namespace Latent.Applications.Imputation;

/// <summary>
/// The simple imputers users compare with, on a numeric matrix [rows, columns] whose unknown cells are NaN.
/// Known cells are copied unchanged. On one-hot groups the column mean decodes to the mode.
/// </summary>
public static class ImputationBaselines
{
    /// <summary>Neighbours when not told otherwise, as scikit-learn's KNNImputer.</summary>
    public const int DefaultNeighbours = 5;

    /// <summary>A table's missing numeric cells get the column mean, categorical cells the most frequent category; <paramref name="exclude"/> passes through.</summary>
    public static CsvTable ColumnMean(CsvTable table, int maxCategories = 50, IReadOnlyList<string>? exclude = null) =>
        TableImputation.Fill(table, TableImputation.SchemaFor(table, maxCategories, exclude), ColumnMean);

    /// <summary>A table's missing cells from the <paramref name="k"/> nearest rows (see the matrix overload); <paramref name="exclude"/> passes through.</summary>
    public static CsvTable NearestNeighbours(CsvTable table, int k = DefaultNeighbours, int maxCategories = 50, IReadOnlyList<string>? exclude = null) =>
        TableImputation.Fill(table, TableImputation.SchemaFor(table, maxCategories, exclude), data => NearestNeighbours(data, k));

    /// <summary>Each unknown cell gets its column's mean over the known cells.</summary>
    public static Tensor ColumnMean(Tensor data)
    {
        Imputer.CheckMatrix(data, null);
        float[] mean = Imputer.ColumnMeans(data);
        Tensor result = data.Detach();
        Span<float> y = result.Span;
        for (int i = 0; i < y.Length; i++)
            if (float.IsNaN(y[i])) y[i] = mean[i % mean.Length];
        return result;
    }

    /// <summary>
    /// Each unknown cell gets the mean of that column over the <paramref name="k"/> nearest rows that know it
    /// (scikit-learn's KNNImputer): distances are Euclidean over the columns both rows know, scaled up by the
    /// fraction they share, on min-max scaled columns so that every column counts alike. Falls back to the
    /// column mean when no other row knows the column.
    /// </summary>
    public static Tensor NearestNeighbours(Tensor data, int k = DefaultNeighbours)
    {
        Imputer.CheckMatrix(data, null);
        if (k < 1) throw new ArgumentException($"The number of neighbours must be at least 1, not {k}.");
        int rows = data.Dim(0), width = data.Dim(1);
        using Tensor scaled = Latent.Data.MinMaxScaler.Fit(data).Transform(data);
        float[] mean = Imputer.ColumnMeans(data);

        // d²(q, r)·shared = Σ_shared (q − r)² = [q²·m_q, m_q, −2q]·[m_r, r²·m_r, r]ᵀ summed per column, and
        // shared = m_q·m_rᵀ: two matrix products per block of query rows instead of a loop over pairs.
        using Tensor left = Tensor.Zeros(rows, 3 * width), right = Tensor.Zeros(rows, 3 * width), known = Tensor.Zeros(rows, width);
        Span<float> l = left.Span, rt = right.Span, m = known.Span;
        ReadOnlySpan<float> x = scaled.Span;
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < width; c++)
            {
                float v = x[r * width + c];
                if (float.IsNaN(v)) continue;
                m[r * width + c] = 1;
                l[r * 3 * width + c] = v * v;
                l[r * 3 * width + width + c] = 1;
                l[r * 3 * width + 2 * width + c] = -2 * v;
                rt[r * 3 * width + c] = 1;
                rt[r * 3 * width + width + c] = v * v;
                rt[r * 3 * width + 2 * width + c] = v;
            }
        }

        Tensor result = data.Detach();
        Span<float> y = result.Span;
        ReadOnlySpan<float> original = data.Span;
        const int block = 256;
        int shortlist = Math.Max(4 * k, 32);
        var order = new int[shortlist];
        var distance = new float[shortlist];
        using var _ = Tensor.NoGrad();
        for (int start = 0; start < rows; start += block)
        {
            int n = Math.Min(block, rows - start);
            var missing = new List<int>();
            for (int q = start; q < start + n; q++)
                if (HasMissing(original.Slice(q * width, width))) missing.Add(q);
            int[] queries = [.. missing];
            if (queries.Length == 0) continue;
            using Tensor ql = Ops.SelectRows(left, queries), qm = Ops.SelectRows(known, queries);
            using Tensor squared = Ops.MatMul(ql, right, transposeB: true), shared = Ops.MatMul(qm, known, transposeB: true);
            ReadOnlySpan<float> sq = squared.Span, sh = shared.Span;
            for (int qi = 0; qi < queries.Length; qi++)
            {
                int q = queries[qi];
                ReadOnlySpan<float> dq = sq.Slice(qi * rows, rows), cq = sh.Slice(qi * rows, rows);
                int listed = Nearest(dq, cq, q, width, order, distance);
                for (int c = 0; c < width; c++)
                {
                    if (!float.IsNaN(original[q * width + c])) continue;
                    double sum = 0;
                    int found = 0;
                    for (int j = 0; j < listed && found < k; j++)
                        if (m[order[j] * width + c] > 0) { sum += original[order[j] * width + c]; found++; }
                    if (found < k && listed == shortlist) (sum, found) = FullScan(dq, cq, q, c, width, k, m, original);
                    y[q * width + c] = found > 0 ? (float)(sum / found) : mean[c];
                }
            }
        }
        return result;
    }

    private static bool HasMissing(ReadOnlySpan<float> row)
    {
        foreach (float v in row)
            if (float.IsNaN(v)) return true;
        return false;
    }

    private static float Distance(ReadOnlySpan<float> squared, ReadOnlySpan<float> shared, int r, int width) =>
        shared[r] > 0.5f ? Math.Max(0f, squared[r]) * width / shared[r] : float.PositiveInfinity;

    /// <summary>The nearest other rows to q in ascending distance, at most order.Length of them; returns how many.</summary>
    private static int Nearest(ReadOnlySpan<float> squared, ReadOnlySpan<float> shared, int q, int width, int[] order, float[] distance)
    {
        int count = 0;
        for (int r = 0; r < squared.Length; r++)
        {
            if (r == q) continue;
            float d = Distance(squared, shared, r, width);
            if (float.IsPositiveInfinity(d) || (count == order.Length && d >= distance[count - 1])) continue;
            int i = count < order.Length ? count++ : count - 1;
            while (i > 0 && distance[i - 1] > d)
            {
                distance[i] = distance[i - 1];
                order[i] = order[i - 1];
                i--;
            }
            distance[i] = d;
            order[i] = r;
        }
        return count;
    }

    /// <summary>The k nearest rows that know column c, searched over all rows (when the shortlist had too few).</summary>
    private static (double Sum, int Found) FullScan(ReadOnlySpan<float> squared, ReadOnlySpan<float> shared, int q, int c, int width, int k,
        ReadOnlySpan<float> known, ReadOnlySpan<float> values)
    {
        var best = new List<(float D, int Row)>();
        for (int r = 0; r < squared.Length; r++)
        {
            if (r == q || known[r * width + c] == 0) continue;
            float d = Distance(squared, shared, r, width);
            if (!float.IsPositiveInfinity(d)) best.Add((d, r));
        }
        best.Sort();
        double sum = 0;
        int found = Math.Min(k, best.Count);
        for (int i = 0; i < found; i++) sum += values[best[i].Row * width + c];
        return (sum, found);
    }
}
