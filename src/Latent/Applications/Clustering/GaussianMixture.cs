using Latent.Data;
using Latent.Engine;

namespace Latent.Applications.Clustering;

/// <summary>
/// A mixture of Gaussians with full covariances, fitted by expectation-maximisation from a hard start (k-means'
/// clusters, as scikit-learn's GaussianMixture starts by default). Unlike k-means it lets each cluster have its own
/// size and elongated shape, which is what clusters in a neighbour embedding look like. Each covariance gets
/// <see cref="Regularisation"/> on its diagonal so that a flat cluster keeps an invertible covariance.
/// </summary>
/// <example>
/// <code>
/// KMeansResult start = KMeans.Fit(points, 10);
/// GaussianMixture mixture = GaussianMixture.Fit(points, 10, start.Assignments);
/// int[] clusters = mixture.Predict(points);
/// </code>
/// </example>
public sealed class GaussianMixture
{
    /// <summary>Added to every covariance's diagonal (scikit-learn's reg_covar).</summary>
    public const double Regularisation = 1e-6;

    private readonly double[] _weights, _logWeights, _means, _covariances, _choleskys, _logDeterminants;

    private GaussianMixture(int components, int dimensions, double[] weights, double[] means, double[] covariances, double[] logLikelihoods)
    {
        Components = components;
        Dimensions = dimensions;
        _weights = weights;
        _logWeights = [.. weights.Select(w => Math.Log(w))];
        _means = means;
        _covariances = covariances;
        Weights = [.. weights.Select(w => (float)w)];
        Means = [.. means.Select(m => (float)m)];
        Covariances = [.. covariances.Select(c => (float)c)];
        LogLikelihoods = logLikelihoods;
        _choleskys = new double[covariances.Length];
        _logDeterminants = new double[components];
        int dd = dimensions * dimensions;
        for (int c = 0; c < components; c++)
            _logDeterminants[c] = Cholesky(covariances.AsSpan(c * dd, dd), _choleskys.AsSpan(c * dd, dd), dimensions);
    }

    /// <summary>Number of components (clusters).</summary>
    public int Components { get; }

    /// <summary>Values per row.</summary>
    public int Dimensions { get; }

    /// <summary>Each component's share of the rows, [Components].</summary>
    public float[] Weights { get; }

    /// <summary>The components' means, [Components, Dimensions] row-major.</summary>
    public float[] Means { get; }

    /// <summary>The components' covariances, [Components, Dimensions, Dimensions] row-major.</summary>
    public float[] Covariances { get; }

    /// <summary>The mean log-likelihood per row after each EM step (empty for a mixture restored from a file); it never falls.</summary>
    public double[] LogLikelihoods { get; }

    /// <summary>Fits <paramref name="components"/> Gaussians to the rows, starting from the clusters <paramref name="start"/> gives them.</summary>
    /// <param name="start">Each row's starting cluster, 0 to components − 1 (k-means' assignments).</param>
    /// <param name="maxIterations">EM steps at most.</param>
    /// <param name="tolerance">Stop when the mean log-likelihood per row gains less than this in a step (scikit-learn's tol).</param>
    /// <exception cref="ArgumentException">The data is not [rows, d], holds a non-finite value, or the start does not give every row a cluster.</exception>
    public static GaussianMixture Fit(Tensor data, int components, int[] start, int maxIterations = 100, double tolerance = 1e-3, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(start);
        if (components < 1) throw new ArgumentException($"A mixture needs at least 1 component, not {components}.");
        if (data.Rank != 2 || data.Dim(0) < components)
            throw new ArgumentException($"A mixture of {components} needs a matrix [rows, d] with at least {components} rows; got shape [{string.Join(", ", data.Shape)}].");
        if (start.Length != data.Dim(0) || start.Any(c => c < 0 || c >= components))
            throw new ArgumentException($"The start needs one cluster from 0 to {components - 1} for each of the {data.Dim(0)} rows.");
        if (maxIterations < 1) throw new ArgumentException($"A mixture needs at least 1 EM step, not {maxIterations}.");
        RowChecks.Finite(data);
        int n = data.Dim(0), d = data.Dim(1);
        double[] x = [.. data.ToArray().Select(v => (double)v)];
        var responsibilities = new double[n * components];
        for (int i = 0; i < n; i++) responsibilities[i * components + start[i]] = 1;

        GaussianMixture mixture = Maximise(x, n, d, components, responsibilities, null);
        var history = new List<double>();
        for (int step = 0; step < maxIterations; step++)
        {
            cancel.ThrowIfCancellationRequested();
            double logLikelihood = mixture.Expect(x, n, responsibilities);
            history.Add(logLikelihood);
            if (history.Count > 1 && logLikelihood - history[^2] < tolerance) break;
            mixture = Maximise(x, n, d, components, responsibilities, mixture);
        }
        return new GaussianMixture(components, d, mixture._weights, mixture._means, mixture._covariances, [.. history]);
    }

    /// <summary>Each row's most likely component.</summary>
    /// <exception cref="ArgumentException">The rows are not [rows, <see cref="Dimensions"/>].</exception>
    public int[] Predict(Tensor data)
    {
        RowChecks.Rows(data, Dimensions, "The mixture");
        int n = data.Dim(0);
        double[] x = [.. data.ToArray().Select(v => (double)v)];
        var logJoint = new double[Components];
        var result = new int[n];
        for (int i = 0; i < n; i++)
        {
            LogJoint(x.AsSpan(i * Dimensions, Dimensions), logJoint);
            result[i] = Array.IndexOf(logJoint, logJoint.Max());
        }
        return result;
    }

    /// <summary>A mixture from saved parameters.</summary>
    /// <exception cref="ArgumentException">The parameters do not fit together, or a covariance is not positive definite.</exception>
    public static GaussianMixture FromParameters(float[] weights, float[] means, float[] covariances)
    {
        int k = weights.Length, d = k == 0 ? 0 : means.Length / k;
        if (k < 1 || d < 1 || means.Length != k * d || covariances.Length != k * d * d || weights.Any(w => !(w > 0)))
            throw new ArgumentException("The mixture's weights, means and covariances do not fit together.");
        return new GaussianMixture(k, d, [.. weights.Select(w => (double)w)], [.. means.Select(m => (double)m)], Widen(covariances), []);
    }

    /// <summary>E step: each row's responsibilities (in place) under this mixture; returns the mean log-likelihood per row.</summary>
    private double Expect(double[] x, int n, double[] responsibilities)
    {
        int k = Components;
        double total = 0;
        for (int i = 0; i < n; i++)
        {
            Span<double> r = responsibilities.AsSpan(i * k, k);
            LogJoint(x.AsSpan(i * Dimensions, Dimensions), r);
            double max = double.NegativeInfinity;
            foreach (double v in r) max = Math.Max(max, v);
            double sum = 0;
            foreach (double v in r) sum += Math.Exp(v - max);
            double logSum = max + Math.Log(sum);
            for (int c = 0; c < k; c++) r[c] = Math.Exp(r[c] - logSum);
            total += logSum;
        }
        return total / n;
    }

    /// <summary>M step: weights, means and covariances from the responsibilities; a component left without rows keeps its previous parameters.</summary>
    private static GaussianMixture Maximise(double[] x, int n, int d, int k, double[] responsibilities, GaussianMixture? previous)
    {
        var counts = new double[k];
        var means = new double[k * d];
        var covariances = new double[k * d * d];
        for (int i = 0; i < n; i++)
            for (int c = 0; c < k; c++)
            {
                double r = responsibilities[i * k + c];
                if (r == 0) continue;
                counts[c] += r;
                for (int j = 0; j < d; j++) means[c * d + j] += r * x[i * d + j];
            }
        for (int c = 0; c < k; c++)
            for (int j = 0; j < d; j++) means[c * d + j] /= Math.Max(counts[c], double.Epsilon);
        var centred = new double[d];
        for (int i = 0; i < n; i++)
            for (int c = 0; c < k; c++)
            {
                double r = responsibilities[i * k + c];
                if (r == 0) continue;
                for (int j = 0; j < d; j++) centred[j] = x[i * d + j] - means[c * d + j];
                Span<double> cov = covariances.AsSpan(c * d * d, d * d);
                for (int a = 0; a < d; a++)
                    for (int b = 0; b <= a; b++) cov[a * d + b] += r * centred[a] * centred[b];
            }
        const double Empty = 1e-10;
        for (int c = 0; c < k; c++)
        {
            Span<double> cov = covariances.AsSpan(c * d * d, d * d);
            if (counts[c] < Empty && previous is not null)
            {
                for (int j = 0; j < d; j++) means[c * d + j] = previous._means[c * d + j];
                previous._covariances.AsSpan(c * d * d, d * d).CopyTo(cov);
                counts[c] = Empty * n;
                continue;
            }
            for (int a = 0; a < d; a++)
                for (int b = 0; b <= a; b++) cov[a * d + b] = cov[b * d + a] = cov[a * d + b] / Math.Max(counts[c], Empty) + (a == b ? Regularisation : 0);
        }
        double all = counts.Sum();
        return new GaussianMixture(k, d, [.. counts.Select(c => Math.Max(c, Empty) / all)], means, covariances, []);
    }

    /// <summary>log wᶜ + log N(x | μᶜ, Σᶜ) for each component c.</summary>
    private void LogJoint(ReadOnlySpan<double> row, Span<double> result)
    {
        int d = Dimensions;
        Span<double> z = stackalloc double[d];
        double constant = d * Math.Log(2 * Math.PI);
        for (int c = 0; c < Components; c++)
        {
            ReadOnlySpan<double> l = _choleskys.AsSpan(c * d * d, d * d);
            double squared = 0;
            for (int a = 0; a < d; a++)   // z = L⁻¹ (x − μ) by forward substitution; ‖z‖² is the Mahalanobis distance
            {
                double v = row[a] - _means[c * d + a];
                for (int b = 0; b < a; b++) v -= l[a * d + b] * z[b];
                z[a] = v / l[a * d + a];
                squared += z[a] * z[a];
            }
            result[c] = _logWeights[c] - 0.5 * (constant + _logDeterminants[c] + squared);
        }
    }

    /// <summary>The lower Cholesky factor of a covariance; returns log det. Refuses a matrix that is not positive definite.</summary>
    private static double Cholesky(ReadOnlySpan<double> matrix, Span<double> lower, int d)
    {
        double logDeterminant = 0;
        for (int a = 0; a < d; a++)
            for (int b = 0; b <= a; b++)
            {
                double sum = matrix[a * d + b];
                for (int j = 0; j < b; j++) sum -= lower[a * d + j] * lower[b * d + j];
                if (a == b)
                {
                    if (!(sum > 0)) throw new ArgumentException("A mixture component's covariance is not positive definite.");
                    lower[a * d + a] = Math.Sqrt(sum);
                    logDeterminant += Math.Log(sum);
                }
                else lower[a * d + b] = sum / lower[b * d + b];
            }
        return logDeterminant;
    }

    private static double[] Widen(float[] values) => [.. values.Select(v => (double)v)];
}
