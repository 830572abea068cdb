using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using Latent.Engine;
using MathNet.Numerics.LinearAlgebra;

namespace Latent.Models;

/// <summary>
/// Principal component analysis, the linear baseline every autoencoder is compared with at the same code size k.
/// <see cref="Fit"/> learns the mean μ [cols] and the k orthonormal directions of largest variance, the rows of
/// W = <see cref="Components"/> [k, cols]; then
/// <code>
/// codes = (X − μ)·Wᵀ        X: [rows, cols]  →  codes: [rows, k]     (Transform)
/// X̂     = codes·W + μ       codes: [rows, k] →  X̂: [rows, cols]      (InverseTransform)
/// </code>
/// X̂ is the best rank-k affine approximation of X in squared error (Eckart–Young).
/// <code>
/// var pca = new Pca(components: 30).Fit(images);     // images: [60000, 784]
/// Tensor codes = pca.Transform(images);              // [60000, 30]
/// Tensor rebuilt = pca.InverseTransform(codes);      // [60000, 784]
/// </code>
/// Solver: for up to <see cref="CovarianceLimit"/> columns, the exact symmetric eigendecomposition of the
/// covariance Xcᵀ·Xc/(rows − 1) of the centred data Xc; for wider data, a seeded <see cref="RandomizedSvd"/> of Xc.
/// Signs follow scikit-learn's svd_flip: each component's largest-magnitude entry is positive. Once fitted, every
/// method but Fit is thread-safe; no method modifies its arguments.
/// </summary>
[ModelKind("pca", "a PCA")]
public sealed class Pca : ISavedModel
{
    /// <summary>Widest data solved exactly: the [cols, cols] eigendecomposition costs O(cols³) and cols² doubles.</summary>
    internal const int CovarianceLimit = 2048;

    /// <summary>
    /// Randomized SVD settings: extra sampled directions and subspace iterations (Halko et al. suggest 5–10 and 1–2).
    /// Measured on MNIST with k = 30, a slowly decaying spectrum: 4 iterations capture the exact top-30 variance to
    /// 2e-4 relative and the leading 20 axes to 1 − |cos| &lt; 1e-4 (2 iterations: 2e-3 and 2e-2; 7: 1e-5 and 3e-7).
    /// </summary>
    internal const int Oversampling = 10, PowerIterations = 4;

    private Tensor? _components;   // W: [k, cols], orthonormal rows
    private Tensor? _mean;         // μ: [cols]
    private float[] _variance = [], _varianceRatio = [];

    /// <summary>A PCA that keeps <paramref name="components"/> directions; <paramref name="seed"/> drives the randomized solver used on wide data.</summary>
    public Pca(int components, ulong seed = 0)
    {
        if (components < 1) throw new ArgumentOutOfRangeException(nameof(components), components, "PCA needs at least one component.");
        CodeSize = components;
        Seed = seed;
    }

    /// <summary>Number of components k: the size of the codes.</summary>
    public int CodeSize { get; }

    /// <summary>Seed of the randomized solver (wide data only; the exact solver uses no randomness).</summary>
    public ulong Seed { get; }

    /// <summary>Whether <see cref="Fit"/> (or <see cref="Open"/>) has given this PCA its components.</summary>
    public bool IsFitted => _components is not null;

    /// <summary>Number of columns of the fitted data.</summary>
    public int Inputs => Mean.Dim(0);

    /// <summary>The principal axes W [k, cols], orthonormal rows, by decreasing variance. Do not modify or dispose it.</summary>
    public Tensor Components => _components ?? throw NotFitted();

    /// <summary>The per-column mean μ [cols] of the fitted data. Do not modify or dispose it.</summary>
    public Tensor Mean => _mean ?? throw NotFitted();

    /// <summary>The variance of the data along each component, eigenvalues of the covariance with denominator rows − 1 (as scikit-learn).</summary>
    public float[] ExplainedVariance => IsFitted ? (float[])_variance.Clone() : throw NotFitted();

    /// <summary>Each component's share of the total variance (the sum over all columns); 0 for constant data.</summary>
    public float[] ExplainedVarianceRatio => IsFitted ? (float[])_varianceRatio.Clone() : throw NotFitted();

    // ------------------------------------------------------------------ fitting

    /// <summary>Learns the mean and the components of <paramref name="data"/> [rows, cols]; returns this PCA.</summary>
    /// <exception cref="ArgumentException">Data not 2-D, fewer than 2 rows, more components than min(rows, cols), or a NaN/∞ value.</exception>
    public Pca Fit(Tensor data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Rank != 2)
            throw new ArgumentException($"Pca.Fit expects a matrix [rows, cols]; got shape {Format(data.Shape)}.", nameof(data));
        int rows = data.Dim(0), cols = data.Dim(1), k = CodeSize;
        if (rows < 2)
            throw new ArgumentException($"Pca.Fit needs at least 2 rows to measure variance; got shape {Format(data.Shape)}.", nameof(data));
        if (k > Math.Min(rows, cols))
            throw new ArgumentException(
                $"Pca with {k} components needs at least {k} rows and {k} columns; the data have shape {Format(data.Shape)}, so at most {Math.Min(rows, cols)} components.",
                nameof(data));
        CheckFinite(data);

        using var _ = Tensor.NoGrad();
        float[] mean = ColumnMeans(data);
        using Tensor centred = Centre(data, mean);
        double totalVariance = 0;   // trace of the covariance: what the ratios divide by
        for (int r = 0; r < rows; r++) totalVariance += TensorPrimitives.SumOfSquares(centred.Span.Slice(r * cols, cols));
        totalVariance /= rows - 1;

        var (variance, axes) = cols <= CovarianceLimit
            ? CovarianceEigen(centred, k)
            : Singular(RandomizedSvd.Compute(centred, k, Oversampling, PowerIterations, new Rng(Seed)), rows);

        // Everything is computed before any field changes, so a failed Fit leaves a fitted PCA as it was.
        _components = ToComponents(axes);
        _mean = Tensor.FromArray(mean, cols);
        _variance = variance.Select(v => (float)v).ToArray();
        _varianceRatio = variance.Select(v => totalVariance > 0 ? (float)(v / totalVariance) : 0f).ToArray();
        return this;
    }

    /// <summary>
    /// The exact solver: the top k eigenpairs of C = Xcᵀ·Xc/(rows − 1) [cols, cols]. The product, where the time goes,
    /// runs in our float GEMM; the eigendecomposition in double (MathNet). Float accumulation is enough: on MNIST
    /// (60,000 rows) the top 30 axes agree with a double-accumulated covariance to 1 − |cos| &lt; 1e-8.
    /// </summary>
    private static (double[] Variance, Matrix<double> Axes) CovarianceEigen(Tensor centred, int k)
    {
        int rows = centred.Dim(0), cols = centred.Dim(1);
        using Tensor scatter = Ops.MatMul(centred, centred, transposeA: true);
        ReadOnlySpan<float> s = scatter.Span;
        var covariance = Matrix<double>.Build.Dense(cols, cols);
        for (int i = 0; i < cols; i++)
            for (int j = 0; j <= i; j++)   // average the two triangles: the GEMM need not round them identically
                covariance[i, j] = covariance[j, i] = (s[i * cols + j] + (double)s[j * cols + i]) / (2.0 * (rows - 1));

        var evd = covariance.Evd(Symmetricity.Symmetric);
        int[] order = Enumerable.Range(0, cols).OrderByDescending(i => evd.EigenValues[i].Real).Take(k).ToArray();
        var variance = order.Select(i => Math.Max(evd.EigenValues[i].Real, 0.0)).ToArray();   // rounding can give tiny negatives
        var axes = Matrix<double>.Build.Dense(cols, k, (i, c) => evd.EigenVectors[i, order[c]]);
        return (variance, axes);
    }

    /// <summary>The randomized solver's singular values σ of Xc become variances σ²/(rows − 1).</summary>
    private static (double[] Variance, Matrix<double> Axes) Singular((double[] Singular, Matrix<double> V) svd, int rows) =>
        (svd.Singular.Select(s => s * s / (rows - 1)).ToArray(), svd.V);

    /// <summary>Axes as columns [cols, k] → components as rows [k, cols], each flipped so its largest-magnitude entry is positive.</summary>
    private static Tensor ToComponents(Matrix<double> axes)
    {
        int cols = axes.RowCount, k = axes.ColumnCount;
        var components = Tensor.Zeros(k, cols);
        Span<float> w = components.Span;
        for (int c = 0; c < k; c++)
        {
            int largest = 0;
            for (int i = 1; i < cols; i++)
                if (Math.Abs(axes[i, c]) > Math.Abs(axes[largest, c])) largest = i;
            double sign = axes[largest, c] < 0 ? -1 : 1;
            for (int i = 0; i < cols; i++) w[c * cols + i] = (float)(sign * axes[i, c]);
        }
        return components;
    }

    // ------------------------------------------------------------------ using the fitted model

    /// <summary>codes = (X − μ)·Wᵀ: data [rows, cols] → codes [rows, k].</summary>
    public Tensor Transform(Tensor data)
    {
        CheckShape(data, Components.Dim(1), "Transform", "data");
        using var _ = Tensor.NoGrad();
        using Tensor centred = Centre(data, Mean.Span);
        return Ops.MatMul(centred, Components, transposeB: true);
    }

    /// <summary>X̂ = codes·W + μ: codes [rows, k] → rows [rows, cols].</summary>
    public Tensor InverseTransform(Tensor codes)
    {
        CheckShape(codes, CodeSize, "InverseTransform", "codes");
        using var _ = Tensor.NoGrad();
        Tensor rebuilt = Ops.MatMul(codes, Components);
        int rows = rebuilt.Dim(0), cols = rebuilt.Dim(1);
        Span<float> x = rebuilt.Span;
        for (int r = 0; r < rows; r++) TensorPrimitives.Add(x.Slice(r * cols, cols), Mean.Span, x.Slice(r * cols, cols));
        return rebuilt;
    }

    /// <summary>The data projected onto the components' affine subspace: InverseTransform(Transform(data)), [rows, cols].</summary>
    public Tensor Reconstruct(Tensor data)
    {
        using Tensor codes = Transform(data);
        return InverseTransform(codes);
    }

    // ------------------------------------------------------------------ files

    /// <summary>Writes the fitted PCA to a safetensors model file, atomically.</summary>
    public void Save(string path) => ModelFile.Save(path, ((ISavedModel)this).Content());

    ModelContent ISavedModel.Content() => ModelFile.Content(this, new { components = CodeSize, seed = Seed }, State, history: null, scaler: null, data: null);

    /// <summary>Reads a PCA saved by <see cref="Save"/>; refuses other files with a clear message.</summary>
    /// <exception cref="InvalidDataException">Not a PCA file, or one with missing or inconsistent tensors.</exception>
    public static Pca Open(string path)
    {
        var (content, _) = ModelFile.Read<Pca, System.Text.Json.JsonElement>(path);
        try
        {
            return FromState(content.Tensors);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"'{path}' is a damaged PCA file: {e.Message}");
        }
    }

    /// <summary>
    /// The learned state as named tensors: "components" [k, cols], "mean" [cols], "explained_variance" [k] and
    /// "explained_variance_ratio" [k]. The first two are this PCA's own tensors: do not modify or dispose them.
    /// </summary>
    internal IReadOnlyList<(string Name, Tensor Tensor)> State =>
    [
        ("components", Components),
        ("mean", Mean),
        ("explained_variance", Tensor.FromArray(_variance, _variance.Length)),
        ("explained_variance_ratio", Tensor.FromArray(_varianceRatio, _varianceRatio.Length)),
    ];

    /// <summary>A fitted PCA from the tensors of <see cref="State"/> (copied); every name must be present with consistent shapes.</summary>
    /// <exception cref="ArgumentException">A tensor is missing or has the wrong shape.</exception>
    internal static Pca FromState(IReadOnlyDictionary<string, Tensor> state)
    {
        ArgumentNullException.ThrowIfNull(state);
        Tensor components = Get("components"), mean = Get("mean"), variance = Get("explained_variance"), ratio = Get("explained_variance_ratio");
        if (components.Rank != 2 || components.Dim(0) < 1 || components.Dim(0) > components.Dim(1))
            throw new ArgumentException($"PCA state: 'components' must be [k, cols] with 1 ≤ k ≤ cols; got {Format(components.Shape)}.", nameof(state));
        int k = components.Dim(0), cols = components.Dim(1);
        Expect(mean, "mean", cols);
        Expect(variance, "explained_variance", k);
        Expect(ratio, "explained_variance_ratio", k);
        return new Pca(k)
        {
            _components = components.Detach(),
            _mean = mean.Detach(),
            _variance = variance.ToArray(),
            _varianceRatio = ratio.ToArray(),
        };

        Tensor Get(string name) => state.TryGetValue(name, out Tensor? t)
            ? t
            : throw new ArgumentException($"PCA state lacks the tensor '{name}'; it has {string.Join(", ", state.Keys.Select(n => $"'{n}'"))}.", nameof(state));

        void Expect(Tensor t, string name, int length)
        {
            if (t.Rank != 1 || t.Dim(0) != length)
                throw new ArgumentException(
                    $"PCA state: '{name}' has shape {Format(t.Shape)} but 'components' {Format(components.Shape)} needs [{length}].", nameof(state));
        }
    }

    // ------------------------------------------------------------------ helpers

    /// <summary>Column means accumulated in double: float sums over many rows drift.</summary>
    private static float[] ColumnMeans(Tensor data)
    {
        int rows = data.Dim(0), cols = data.Dim(1);
        ReadOnlySpan<float> x = data.Span;
        var sum = new double[cols];
        for (int r = 0; r < rows; r++)
            for (int c = 0, o = r * cols; c < cols; c++) sum[c] += x[o + c];
        return sum.Select(s => (float)(s / rows)).ToArray();
    }

    /// <summary>A new tensor X − μ (row-wise); the caller's data are left alone.</summary>
    private static Tensor Centre(Tensor data, ReadOnlySpan<float> mean)
    {
        int rows = data.Dim(0), cols = data.Dim(1);
        var centred = Tensor.Zeros(rows, cols);
        ReadOnlySpan<float> x = data.Span;
        Span<float> y = centred.Span;
        for (int r = 0; r < rows; r++) TensorPrimitives.Subtract(x.Slice(r * cols, cols), mean, y.Slice(r * cols, cols));
        return centred;
    }

    private static void CheckFinite(Tensor data)
    {
        ReadOnlySpan<float> x = data.Span;
        int cols = data.Dim(1);
        for (int i = 0; i < x.Length; i++)
            if (!float.IsFinite(x[i]))
                throw new ArgumentException(
                    $"Pca.Fit: row {i / cols}, column {i % cols} is {x[i]}; PCA needs complete, finite data (impute missing values first).", "data");
    }

    private void CheckShape(Tensor t, int width, string operation, string name)
    {
        ArgumentNullException.ThrowIfNull(t, name);
        if (t.Rank != 2 || t.Dim(1) != width)
            throw new ArgumentException(
                $"Pca.{operation}: {name} of shape {Format(t.Shape)} do not match the components {Format(Components.Shape)}; expected [rows, {width}].", name);
    }

    private static string Format(IReadOnlyList<int> shape) => $"[{string.Join(", ", shape)}]";

    private static InvalidOperationException NotFitted() => new("This PCA has not been fitted; call Fit first (or open a saved one).");
}
