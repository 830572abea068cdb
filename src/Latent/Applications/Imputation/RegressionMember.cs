using Latent.Engine;

namespace Latent.Applications.Imputation;

/// <summary>
/// The <see cref="Imputer"/>'s linear member, in rounds as scikit-learn's IterativeImputer (MICE): unknown cells start
/// at their column's fill; each round regresses every column on all the others (ridge) and replaces its unknown cells by
/// the prediction from the current estimates, column after column. One round's regressions all come from one inverse:
/// with P = (C + λI)⁻¹ for the covariance C of the current estimates, column c's weight on column j is −P_jc / P_cc.
/// As in EM, the variance an estimate lacks (1 / P_cc of the previous round, on the share of c's cells that are
/// estimated) is added back to C's diagonal. Every round's coefficients are kept, so new rows replay the same rounds.
/// Values are in the imputer's scaled units.
/// </summary>
internal sealed class RegressionMember
{
    /// <summary>
    /// λ as a share of each column's variance (ridge on the correlations): keeps the inverse stable when columns are
    /// collinear without shrinking a column with a narrow spread more than a wide one. A fixed λ did: on glass, whose
    /// oxide shares sum to 100% and mostly sit in a narrow band of their [0, 1] range, λ = 1e-3 weakened exactly the
    /// relations that determine a hidden share from the others.
    /// </summary>
    private const double RelativeRidge = 1e-3;

    /// <summary>Added to every variance: keeps the inverse defined when a column is constant.</summary>
    private const double RidgeFloor = 1e-6;

    public RegressionMember(Tensor coefficients, IReadOnlyList<float> fill)
    {
        Coefficients = coefficients;
        Fill = fill;
    }

    /// <summary>[rounds, width, width + 1]: for each round and column, the weight on every column (0 on itself) and, last, the intercept.</summary>
    public Tensor Coefficients { get; }

    /// <summary>Each column's starting value for unknown cells.</summary>
    public IReadOnlyList<float> Fill { get; }

    public int Rounds => Coefficients.Dim(0);

    /// <summary>Learns <paramref name="rounds"/> rounds of regressions on <paramref name="scaled"/> (NaN = unknown).</summary>
    public static RegressionMember Fit(Tensor scaled, IReadOnlyList<float> fill, int rounds)
    {
        int rows = scaled.Dim(0), width = scaled.Dim(1);
        using Tensor current = Start(scaled, fill);
        var missingShare = new double[width];
        ReadOnlySpan<float> x = scaled.Span;
        for (int i = 0; i < x.Length; i++)
            if (float.IsNaN(x[i])) missingShare[i % width] += 1.0 / rows;
        var lacking = new double[width];   // 1 / P_cc of the previous round: the variance an estimated cell lacks
        var coefficients = Tensor.Zeros(rounds, width, width + 1);
        using var _ = Tensor.NoGrad();
        for (int round = 0; round < rounds; round++)
        {
            double[] mean = ColumnMeans(current);
            using Tensor centred = Centre(current, mean);   // products of centred values: no float cancellation in E[xy] − E[x]E[y]
            using Tensor products = Ops.MatMul(centred, centred, transposeA: true);
            ReadOnlySpan<float> g = products.Span;
            var covariance = new double[width, width];
            for (int j = 0; j < width; j++)
                for (int k = 0; k < width; k++)
                    covariance[j, k] = g[j * width + k] / rows;
            for (int j = 0; j < width; j++)
                covariance[j, j] += RelativeRidge * covariance[j, j] + RidgeFloor + missingShare[j] * lacking[j];
            double[,] precision = Invert(covariance);
            Span<float> round_ = coefficients.Span.Slice(round * width * (width + 1), width * (width + 1));
            for (int c = 0; c < width; c++)
            {
                Span<float> beta = round_.Slice(c * (width + 1), width + 1);
                double intercept = mean[c];
                for (int j = 0; j < width; j++)
                {
                    if (j == c) continue;
                    beta[j] = (float)(-precision[j, c] / precision[c, c]);
                    intercept -= beta[j] * mean[j];
                }
                beta[width] = (float)intercept;
                lacking[c] = 1 / precision[c, c];
            }
            Apply(current, scaled, round_, width);
        }
        return new RegressionMember(coefficients, fill);
    }

    /// <summary>Every unknown cell of <paramref name="rows"/> (scaled, NaN = unknown) estimated by replaying the rounds; known cells copied.</summary>
    public Tensor Impute(Tensor rows)
    {
        int width = rows.Dim(1);
        Tensor current = Start(rows, Fill);
        for (int round = 0; round < Rounds; round++)
            Apply(current, rows, Coefficients.Span.Slice(round * width * (width + 1), width * (width + 1)), width);
        return current;
    }

    private static Tensor Start(Tensor rows, IReadOnlyList<float> fill)
    {
        Tensor current = rows.Detach();
        Span<float> y = current.Span;
        for (int i = 0; i < y.Length; i++)
            if (float.IsNaN(y[i])) y[i] = fill[i % fill.Count];
        return current;
    }

    /// <summary>One round: column after column, the unknown cells (NaN in <paramref name="rows"/>) get the regression on the current estimates.</summary>
    private static void Apply(Tensor current, Tensor rows, ReadOnlySpan<float> round, int width)
    {
        Span<float> y = current.Span;
        ReadOnlySpan<float> x = rows.Span;
        for (int c = 0; c < width; c++)
        {
            ReadOnlySpan<float> beta = round.Slice(c * (width + 1), width + 1);
            for (int r = 0; r < rows.Dim(0); r++)
            {
                if (!float.IsNaN(x[r * width + c])) continue;
                ReadOnlySpan<float> row = y.Slice(r * width, width);
                double sum = beta[width];
                for (int j = 0; j < width; j++) sum += beta[j] * row[j];
                y[r * width + c] = (float)sum;
            }
        }
    }

    private static Tensor Centre(Tensor data, double[] mean)
    {
        Tensor centred = data.Detach();
        Span<float> y = centred.Span;
        for (int i = 0; i < y.Length; i++) y[i] -= (float)mean[i % mean.Length];
        return centred;
    }

    private static double[] ColumnMeans(Tensor data)
    {
        int width = data.Dim(1);
        var mean = new double[width];
        ReadOnlySpan<float> x = data.Span;
        for (int i = 0; i < x.Length; i++) mean[i % width] += x[i];
        for (int j = 0; j < width; j++) mean[j] /= data.Dim(0);
        return mean;
    }

    /// <summary>The inverse of a symmetric positive definite matrix by Cholesky (A = LLᵀ, A⁻¹ = L⁻ᵀL⁻¹).</summary>
    private static double[,] Invert(double[,] a)
    {
        int n = a.GetLength(0);
        var l = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                double sum = a[i, j];
                for (int k = 0; k < j; k++) sum -= l[i, k] * l[j, k];
                l[i, j] = i == j ? Math.Sqrt(Math.Max(sum, RidgeFloor * 1e-3)) : sum / l[j, j];
            }
        }
        var inverseL = new double[n, n];   // lower triangular
        for (int i = 0; i < n; i++)
        {
            inverseL[i, i] = 1 / l[i, i];
            for (int j = 0; j < i; j++)
            {
                double sum = 0;
                for (int k = j; k < i; k++) sum -= l[i, k] * inverseL[k, j];
                inverseL[i, j] = sum / l[i, i];
            }
        }
        var inverse = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++)
            {
                double sum = 0;
                for (int k = i; k < n; k++) sum += inverseL[k, i] * inverseL[k, j];
                inverse[i, j] = inverse[j, i] = sum;
            }
        return inverse;
    }
}
