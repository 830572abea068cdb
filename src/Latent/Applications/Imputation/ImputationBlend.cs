using Latent.Engine;

namespace Latent.Applications.Imputation;

/// <summary>
/// How the <see cref="Imputer"/> combines its members' estimates of a cell: per column, a convex combination (weights
/// ≥ 0 summing to 1) fitted by least squares on known cells that were held out from every member's training, so each
/// column leans on whichever members predict it best (smooth dependence on other columns: the network or the
/// regressions; clustered rows: the neighbours).
/// </summary>
internal sealed class ImputationBlend
{
    /// <summary>Pseudo-cells that pull a column's fit towards that of all columns together (few held-out cells give noisy weights).</summary>
    private const double Shrinkage = 20;

    private readonly float[] _weights;

    public ImputationBlend(float[] weights, int members)
    {
        _weights = weights;
        Members = members;
    }

    public int Members { get; }

    /// <summary>[column · members + member]: each column's weight on each member.</summary>
    public IReadOnlyList<float> Weights => _weights;

    /// <summary>Sums over held-out cells from which <see cref="Fit"/> solves the weights.</summary>
    public sealed class Accumulator(int width, int members)
    {
        internal readonly double[,,] Products = new double[width, members, members];   // Σ p_m p_n
        internal readonly double[,] Targets = new double[width, members];               // Σ p_m t
        internal readonly int[] Cells = new int[width];

        /// <summary>How many members each cell has an estimate from.</summary>
        public int Members => members;

        /// <summary>Adds one held-out cell of <paramref name="column"/>: each member's estimate and the truth.</summary>
        public void Add(int column, ReadOnlySpan<float> estimates, float truth)
        {
            for (int m = 0; m < members; m++)
            {
                Targets[column, m] += (double)estimates[m] * truth;
                for (int n = 0; n < members; n++) Products[column, m, n] += (double)estimates[m] * estimates[n];
            }
            Cells[column]++;
        }
    }

    /// <summary>Per column, the convex weights minimising the squared error, with <see cref="Shrinkage"/> pseudo-cells like the average cell of all columns.</summary>
    public static ImputationBlend Fit(Accumulator sums)
    {
        int width = sums.Cells.Length, members = sums.Targets.GetLength(1);
        double cells = Math.Max(1, sums.Cells.Sum());
        var weights = new float[width * members];
        for (int c = 0; c < width; c++)
        {
            var products = new double[members, members];
            var targets = new double[members];
            for (int m = 0; m < members; m++)
            {
                for (int o = 0; o < width; o++) targets[m] += sums.Targets[o, m] * Shrinkage / cells;
                targets[m] += sums.Targets[c, m];
                for (int n = 0; n < members; n++)
                {
                    for (int o = 0; o < width; o++) products[m, n] += sums.Products[o, m, n] * Shrinkage / cells;
                    products[m, n] += sums.Products[c, m, n];
                }
            }
            double[] best = Convex(products, targets);
            for (int m = 0; m < members; m++) weights[c * members + m] = (float)best[m];
        }
        return new ImputationBlend(weights, members);
    }

    /// <summary>
    /// argmin wᵀGw − 2bᵀw over w ≥ 0, Σw = 1: the best of the equality-constrained solutions on every subset of members
    /// whose weights come out non-negative (a handful of members: 2^m − 1 small systems).
    /// </summary>
    private static double[] Convex(double[,] g, double[] b)
    {
        int members = b.Length;
        double[] best = new double[members];
        best[0] = 1;
        double bestLoss = double.PositiveInfinity;
        for (int subset = 1; subset < 1 << members; subset++)
        {
            int[] chosen = [.. Enumerable.Range(0, members).Where(m => (subset >> m & 1) != 0)];
            double[]? w = ConstrainedSolve(g, b, chosen);
            if (w is null || w.Any(v => v < 0)) continue;
            var full = new double[members];
            for (int i = 0; i < chosen.Length; i++) full[chosen[i]] = w[i];
            double loss = 0;
            for (int m = 0; m < members; m++)
            {
                loss -= 2 * b[m] * full[m];
                for (int n = 0; n < members; n++) loss += full[m] * g[m, n] * full[n];
            }
            if (loss < bestLoss) (bestLoss, best) = (loss, full);
        }
        return best;
    }

    /// <summary>Solves [G_S 1; 1ᵀ 0][w; μ] = [b_S; 1] by Gaussian elimination with pivoting; null when singular.</summary>
    private static double[]? ConstrainedSolve(double[,] g, double[] b, int[] chosen)
    {
        int n = chosen.Length + 1;
        var a = new double[n, n + 1];
        for (int i = 0; i < chosen.Length; i++)
        {
            for (int j = 0; j < chosen.Length; j++) a[i, j] = g[chosen[i], chosen[j]];
            a[i, chosen.Length] = 1;
            a[chosen.Length, i] = 1;
            a[i, n] = b[chosen[i]];
        }
        a[chosen.Length, n] = 1;
        for (int col = 0; col < n; col++)
        {
            int pivot = Enumerable.Range(col, n - col).MaxBy(r => Math.Abs(a[r, col]));
            if (Math.Abs(a[pivot, col]) < 1e-12) return null;
            for (int j = 0; j <= n; j++) (a[col, j], a[pivot, j]) = (a[pivot, j], a[col, j]);
            for (int r = 0; r < n; r++)
            {
                if (r == col) continue;
                double f = a[r, col] / a[col, col];
                for (int j = col; j <= n; j++) a[r, j] -= f * a[col, j];
            }
        }
        return [.. Enumerable.Range(0, chosen.Length).Select(i => a[i, n] / a[i, i])];
    }

    /// <summary>The blend of the members' estimates of every cell (each [rows, width]), written into the first.</summary>
    public void Apply(IReadOnlyList<Tensor> estimates)
    {
        Span<float> y = estimates[0].Span;
        int width = _weights.Length / Members;
        for (int i = 0; i < y.Length; i++)
        {
            int c = i % width;
            double sum = 0;
            for (int m = 0; m < Members; m++) sum += _weights[c * Members + m] * estimates[m].Span[i];
            y[i] = (float)sum;
        }
    }
}
