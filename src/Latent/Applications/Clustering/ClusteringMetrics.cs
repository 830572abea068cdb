namespace Latent.Applications.Clustering;

/// <summary>
/// How well cluster assignments agree with known labels, whatever the clusters are called: accuracy under the best
/// one-to-one matching of clusters to labels (Hungarian algorithm), normalised mutual information (arithmetic-mean
/// normalisation, as scikit-learn's default) and the adjusted Rand index.
/// </summary>
public static class ClusteringMetrics
{
    /// <summary>Fraction of items whose cluster maps to their label under the best one-to-one mapping.</summary>
    public static double Accuracy(ReadOnlySpan<int> clusters, ReadOnlySpan<int> labels)
    {
        var (table, _, _) = Contingency(clusters, labels);
        int size = Math.Max(table.GetLength(0), table.GetLength(1));
        var cost = new double[size, size];
        for (int i = 0; i < table.GetLength(0); i++)
            for (int j = 0; j < table.GetLength(1); j++) cost[i, j] = -table[i, j];
        int[] match = Hungarian.Solve(cost);
        long right = 0;
        for (int i = 0; i < table.GetLength(0); i++)
            if (match[i] < table.GetLength(1)) right += table[i, match[i]];
        return right / (double)clusters.Length;
    }

    /// <summary>I(C; L) / ((H(C) + H(L)) / 2); 1 for identical partitions, near 0 for independent ones.</summary>
    public static double NormalizedMutualInformation(ReadOnlySpan<int> clusters, ReadOnlySpan<int> labels)
    {
        var (table, rows, columns) = Contingency(clusters, labels);
        double n = clusters.Length, mutual = 0;
        for (int i = 0; i < rows.Length; i++)
            for (int j = 0; j < columns.Length; j++)
                if (table[i, j] > 0) mutual += table[i, j] / n * Math.Log(n * table[i, j] / ((double)rows[i] * columns[j]));
        double hc = Entropy(rows, n), hl = Entropy(columns, n);
        return hc + hl == 0 ? 1 : mutual / ((hc + hl) / 2);
    }

    /// <summary>The Rand index corrected for chance: 1 for identical partitions, about 0 for random ones.</summary>
    public static double AdjustedRandIndex(ReadOnlySpan<int> clusters, ReadOnlySpan<int> labels)
    {
        var (table, rows, columns) = Contingency(clusters, labels);
        static double Pairs(double x) => x * (x - 1) / 2;
        double index = 0, a = rows.Sum(r => Pairs(r)), b = columns.Sum(c => Pairs(c)), total = Pairs(clusters.Length);
        foreach (long v in table) index += Pairs(v);
        double expected = a * b / total, max = (a + b) / 2;
        return max == expected ? 1 : (index - expected) / (max - expected);
    }

    private static double Entropy(long[] counts, double n) => -counts.Where(c => c > 0).Sum(c => c / n * Math.Log(c / n));

    /// <summary>Counts of (cluster, label) pairs over the distinct values of each, with the row and column totals.</summary>
    private static (long[,] Table, long[] Rows, long[] Columns) Contingency(ReadOnlySpan<int> clusters, ReadOnlySpan<int> labels)
    {
        if (clusters.Length != labels.Length) throw new ArgumentException($"{clusters.Length} cluster assignments for {labels.Length} labels.");
        if (clusters.Length == 0) throw new ArgumentException("There are no items to compare.");
        var clusterIndex = new Dictionary<int, int>();
        var labelIndex = new Dictionary<int, int>();
        foreach (int c in clusters) clusterIndex.TryAdd(c, clusterIndex.Count);
        foreach (int l in labels) labelIndex.TryAdd(l, labelIndex.Count);
        var table = new long[clusterIndex.Count, labelIndex.Count];
        var rows = new long[clusterIndex.Count];
        var columns = new long[labelIndex.Count];
        for (int i = 0; i < clusters.Length; i++)
        {
            int r = clusterIndex[clusters[i]], c = labelIndex[labels[i]];
            table[r, c]++;
            rows[r]++;
            columns[c]++;
        }
        return (table, rows, columns);
    }
}
