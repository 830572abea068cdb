using Latent.Engine;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;

namespace Latent.Models;

/// <summary>
/// The leading singular values and right singular vectors of a large matrix A [rows, cols] by random projection
/// (Halko, Martinsson &amp; Tropp 2011, "Finding structure with randomness", algorithms 4.4 and 5.1):
/// <list type="number">
/// <item>sample the range of A: Y = A·Ω with a Gaussian Ω [cols, l], l = k + oversampling;</item>
/// <item>sharpen it by subspace iteration, Y ← A·(Aᵀ·Q), re-orthonormalising (QR) after every product, which
/// raises the singular values to the power 2q + 1 so the top k dominate a slowly decaying tail;</item>
/// <item>project: B = Qᵀ·A [l, cols] ≈ A within Q's span, and take B's exact SVD, which is small.</item>
/// </list>
/// The products with A, where the time goes, run in the engine's float GEMM; the QR factorisations and the small
/// SVD run in double through MathNet. The same <see cref="Rng"/> state gives the same result.
/// </summary>
internal static class RandomizedSvd
{
    /// <summary>
    /// Returns the top <paramref name="k"/> singular values (descending) and right singular vectors as the columns
    /// of V [cols, k]. Requires 1 ≤ k ≤ min(rows, cols).
    /// </summary>
    public static (double[] Singular, Matrix<double> V) Compute(Tensor a, int k, int oversampling, int powerIterations, Rng rng)
    {
        int rows = a.Dim(0), cols = a.Dim(1);
        int l = Math.Min(k + oversampling, Math.Min(rows, cols));
        using var _ = Tensor.NoGrad();

        using Tensor omega = Tensor.Normal(rng, 0f, 1f, cols, l);
        Tensor y = Ops.MatMul(a, omega);                                     // [rows, l]
        for (int i = 0; i < powerIterations; i++)
        {
            using Tensor q = Orthonormalize(y);
            y.Dispose();
            using Tensor z = Ops.MatMul(a, q, transposeA: true);             // Aᵀ·Q: [cols, l]
            using Tensor qz = Orthonormalize(z);
            y = Ops.MatMul(a, qz);                                           // A·Q': [rows, l]
        }
        using Tensor basis = Orthonormalize(y);
        y.Dispose();
        using Tensor b = Ops.MatMul(basis, a, transposeA: true);             // B = Qᵀ·A: [l, cols]

        // B's SVD without a [cols, cols] factor: Bᵀ = Q₂·R₂ (thin QR), R₂ᵀ = U·S·Wᵀ, so B = U·S·(Q₂·W)ᵀ.
        var qr = ToMatrix(b).Transpose().QR(QRMethod.Thin);
        var svd = qr.R.Transpose().Svd(computeVectors: true);
        Matrix<double> v = qr.Q * svd.VT.Transpose();                        // [cols, l]
        return (svd.S.SubVector(0, k).ToArray(), v.SubMatrix(0, cols, 0, k));
    }

    /// <summary>An orthonormal basis (Householder QR, thin Q) of the columns of m [rows, l], as a float tensor.</summary>
    private static Tensor Orthonormalize(Tensor m) =>
        ToTensor(ToMatrix(m).QR(QRMethod.Thin).Q);

    /// <summary>A row-major float tensor [rows, cols] as a MathNet double matrix (which is column-major).</summary>
    internal static Matrix<double> ToMatrix(Tensor t)
    {
        int rows = t.Dim(0), cols = t.Dim(1);
        ReadOnlySpan<float> s = t.Span;
        var values = new double[rows * cols];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
                values[j * rows + i] = s[i * cols + j];
        return Matrix<double>.Build.Dense(rows, cols, values);
    }

    /// <summary>A MathNet matrix as a row-major float tensor.</summary>
    internal static Tensor ToTensor(Matrix<double> m)
    {
        int rows = m.RowCount, cols = m.ColumnCount;
        double[] values = m.AsColumnMajorArray() ?? m.ToColumnMajorArray();
        var t = Tensor.Zeros(rows, cols);
        Span<float> s = t.Span;
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
                s[i * cols + j] = (float)values[j * rows + i];
        return t;
    }
}
