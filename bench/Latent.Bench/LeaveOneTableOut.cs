namespace Latent.Bench;

/// <summary>
/// Leave-one-table-out choice of a default: for each table, the candidate with the best mean score over the other
/// tables, so that no table's figure comes from a choice made on that table. Ties go to the earlier candidate.
/// </summary>
internal static class LeaveOneTableOut
{
    /// <summary>For each table t, the index of the candidate with the highest mean of <paramref name="scores"/>[candidate, t'] over t' ≠ t.</summary>
    public static int[] Choose(double[,] scores)
    {
        int candidates = scores.GetLength(0), tables = scores.GetLength(1);
        if (tables < 2) throw new ArgumentException("Leave-one-table-out needs at least two tables.");
        var chosen = new int[tables];
        for (int held = 0; held < tables; held++)
        {
            double best = double.NegativeInfinity;
            for (int c = 0; c < candidates; c++)
            {
                double mean = Enumerable.Range(0, tables).Where(t => t != held).Average(t => scores[c, t]);
                if (mean > best)
                {
                    best = mean;
                    chosen[held] = c;
                }
            }
        }
        return chosen;
    }
}
