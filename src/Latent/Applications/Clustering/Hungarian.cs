namespace Latent.Applications.Clustering;

/// <summary>The assignment problem on a square cost matrix: the permutation of least total cost (Kuhn–Munkres, O(n³)).</summary>
public static class Hungarian
{
    /// <summary>match[row] = the column assigned to that row, minimising Σ cost[row, match[row]].</summary>
    public static int[] Solve(double[,] cost)
    {
        int n = cost.GetLength(0);
        if (cost.GetLength(1) != n) throw new ArgumentException($"The cost matrix must be square, not {n}×{cost.GetLength(1)}.");
        // Potentials u (rows) and v (columns), 1-based with a virtual column 0 (the classic shortest augmenting path form).
        var u = new double[n + 1];
        var v = new double[n + 1];
        var owner = new int[n + 1];   // owner[column] = row matched to it
        var way = new int[n + 1];
        for (int row = 1; row <= n; row++)
        {
            owner[0] = row;
            int column = 0;
            var slack = new double[n + 1];
            var used = new bool[n + 1];
            Array.Fill(slack, double.PositiveInfinity);
            do
            {
                used[column] = true;
                int r = owner[column], next = 0;
                double delta = double.PositiveInfinity;
                for (int j = 1; j <= n; j++)
                {
                    if (used[j]) continue;
                    double reduced = cost[r - 1, j - 1] - u[r] - v[j];
                    if (reduced < slack[j]) { slack[j] = reduced; way[j] = column; }
                    if (slack[j] < delta) { delta = slack[j]; next = j; }
                }
                for (int j = 0; j <= n; j++)
                {
                    if (used[j]) { u[owner[j]] += delta; v[j] -= delta; }
                    else slack[j] -= delta;
                }
                column = next;
            }
            while (owner[column] != 0);
            do
            {
                int previous = way[column];
                owner[column] = owner[previous];
                column = previous;
            }
            while (column != 0);
        }
        var match = new int[n];
        for (int j = 1; j <= n; j++) match[owner[j] - 1] = j - 1;
        return match;
    }
}
