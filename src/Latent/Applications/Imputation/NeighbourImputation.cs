using Latent.Engine;

namespace Latent.Applications.Imputation;

/// <summary>
/// k-nearest-neighbour imputation against a set of donor rows (scikit-learn's KNNImputer): each unknown cell of a
/// query row gets the mean of that column over the <c>k</c> nearest donors that know it. Distances are Euclidean over
/// the columns both rows know, scaled up by the fraction they share; the caller scales the columns (min-max) so that
/// every column counts alike. A cell no donor knows gets the fallback value of its column.
/// </summary>
internal static class NeighbourImputation
{
    /// <summary>
    /// The queries [rows, width] with every NaN cell estimated from <paramref name="donors"/> [donor rows, width]
    /// (NaN = unknown); known cells are copied. A query that is also a donor never donates to itself: it does not
    /// know the cells it needs.
    /// </summary>
    public static Tensor Impute(Tensor queries, Tensor donors, int k, IReadOnlyList<float> fallback)
    {
        int rows = donors.Dim(0), width = donors.Dim(1);
        // d²(q, r)·shared = Σ_shared (q − r)² = [q²·m_q, m_q, −2q]·[m_r, r²·m_r, r]ᵀ summed per column, and
        // shared = m_q·m_rᵀ: two matrix products per block of query rows instead of a loop over pairs.
        using Tensor right = Tensor.Zeros(rows, 3 * width), known = Tensor.Zeros(rows, width);
        Span<float> rt = right.Span, m = known.Span;
        ReadOnlySpan<float> d = donors.Span;
        for (int i = 0; i < d.Length; i++)
        {
            if (float.IsNaN(d[i])) continue;
            int r = i / width, c = i % width;
            m[i] = 1;
            rt[r * 3 * width + c] = 1;
            rt[r * 3 * width + width + c] = d[i] * d[i];
            rt[r * 3 * width + 2 * width + c] = d[i];
        }

        Tensor result = queries.Detach();
        Span<float> y = result.Span;
        ReadOnlySpan<float> x = queries.Span;
        int block = Math.Clamp((1 << 22) / Math.Max(1, rows), 16, 256);   // bounds the two [block, donors] products to ~32 MB
        int shortlist = Math.Max(4 * k, 32);
        var order = new int[shortlist];
        var distance = new float[shortlist];
        using var _ = Tensor.NoGrad();
        for (int start = 0; start < queries.Dim(0); start += block)
        {
            int n = Math.Min(block, queries.Dim(0) - start);
            var rowsWithHoles = new List<int>();
            for (int q = start; q < start + n; q++)
                if (HasMissing(x.Slice(q * width, width))) rowsWithHoles.Add(q);
            int[] missing = [.. rowsWithHoles];
            if (missing.Length == 0) continue;
            using Tensor left = Tensor.Zeros(missing.Length, 3 * width), queryKnown = Tensor.Zeros(missing.Length, width);
            Span<float> l = left.Span, qm = queryKnown.Span;
            for (int qi = 0; qi < missing.Length; qi++)
            {
                for (int c = 0; c < width; c++)
                {
                    float v = x[missing[qi] * width + c];
                    if (float.IsNaN(v)) continue;
                    qm[qi * width + c] = 1;
                    l[qi * 3 * width + c] = v * v;
                    l[qi * 3 * width + width + c] = 1;
                    l[qi * 3 * width + 2 * width + c] = -2 * v;
                }
            }
            using Tensor squared = Ops.MatMul(left, right, transposeB: true), shared = Ops.MatMul(queryKnown, known, transposeB: true);
            ReadOnlySpan<float> sq = squared.Span, sh = shared.Span;
            for (int qi = 0; qi < missing.Length; qi++)
            {
                int q = missing[qi];
                ReadOnlySpan<float> dq = sq.Slice(qi * rows, rows), cq = sh.Slice(qi * rows, rows);
                int listed = Nearest(dq, cq, width, order, distance);
                for (int c = 0; c < width; c++)
                {
                    if (!float.IsNaN(x[q * width + c])) continue;
                    double sum = 0;
                    int found = 0;
                    for (int j = 0; j < listed && found < k; j++)
                        if (m[order[j] * width + c] > 0) { sum += d[order[j] * width + c]; found++; }
                    if (found < k && listed == shortlist) (sum, found) = FullScan(dq, cq, c, width, k, m, d);
                    y[q * width + c] = found > 0 ? (float)(sum / found) : fallback[c];
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

    /// <summary>The nearest donors in ascending distance, at most order.Length of them; returns how many.</summary>
    private static int Nearest(ReadOnlySpan<float> squared, ReadOnlySpan<float> shared, int width, int[] order, float[] distance)
    {
        int count = 0;
        for (int r = 0; r < squared.Length; r++)
        {
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

    /// <summary>The k nearest donors that know column c, searched over all donors (when the shortlist had too few).</summary>
    private static (double Sum, int Found) FullScan(ReadOnlySpan<float> squared, ReadOnlySpan<float> shared, int c, int width, int k,
        ReadOnlySpan<float> known, ReadOnlySpan<float> values)
    {
        var best = new List<(float D, int Row)>();
        for (int r = 0; r < squared.Length; r++)
        {
            if (known[r * width + c] == 0) continue;
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
