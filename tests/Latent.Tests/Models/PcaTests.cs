using Latent.Data;
using Latent.Engine;
using Latent.Models;
using Latent.Storage;
using MathNet.Numerics.LinearAlgebra;

namespace Latent.Tests.Models;

public class PcaTests
{
    /// <summary>Gaussian rows whose columns have distinct scales, so the principal axes are well separated.</summary>
    private static Tensor RandomRows(int rows, int cols, ulong seed)
    {
        var rng = new Rng(seed);
        var values = new float[rows * cols];
        for (int i = 0; i < values.Length; i++) values[i] = 3f + rng.NextNormal() * (1f + i % cols);
        // Mix the columns so that the axes are not the coordinate axes.
        Tensor x = Tensor.FromArray(values, rows, cols);
        Tensor mix = Tensor.Normal(rng, 0f, 1f, cols, cols);
        using (Tensor.NoGrad()) return Ops.MatMul(x, mix);
    }

    /// <summary>Rows μ + A·B + noise: an affine subspace of dimension <paramref name="rank"/> with distinct scales along it.</summary>
    private static Tensor LowRankRows(int rows, int cols, int rank, float noise, ulong seed)
    {
        var rng = new Rng(seed);
        Tensor a = Tensor.Normal(rng, 0f, 1f, rows, rank), b = Tensor.Normal(rng, 0f, 1f, rank, cols);
        Span<float> av = a.Span;
        for (int i = 0; i < av.Length; i++) av[i] *= rank - i % rank;   // scales rank, rank−1, …, 1
        using var _ = Tensor.NoGrad();
        Tensor x = Ops.MatMul(a, b);
        Span<float> xv = x.Span;
        for (int i = 0; i < xv.Length; i++) xv[i] += 0.5f * (i % cols % 7) + noise * rng.NextNormal();
        return x;
    }

    private static Matrix<double> Centred(Tensor data)
    {
        int rows = data.Dim(0), cols = data.Dim(1);
        var x = Matrix<double>.Build.Dense(rows, cols, (i, j) => data.At(i, j));
        for (int j = 0; j < cols; j++)
        {
            double mean = x.Column(j).Average();
            for (int i = 0; i < rows; i++) x[i, j] -= mean;
        }
        return x;
    }

    private static double Dot(Tensor components, int row, Vector<double> v)
    {
        double dot = 0;
        for (int i = 0; i < v.Count; i++) dot += components.At(row, i) * v[i];
        return dot;
    }

    [Fact]
    public void ComponentsAreTheRightSingularVectorsOfTheCentredData()
    {
        Tensor data = RandomRows(200, 12, seed: 1);
        var pca = new Pca(5).Fit(data);

        var svd = Centred(data).Svd(computeVectors: true);   // the oracle: MathNet's full SVD in double
        Assert.Equal([5, 12], pca.Components.Shape);
        double total = svd.S.Sum(s => s * s);
        for (int c = 0; c < 5; c++)
        {
            Assert.Equal(1.0, Math.Abs(Dot(pca.Components, c, svd.VT.Row(c))), 4);
            double expected = svd.S[c] * svd.S[c] / 199;
            Assert.True(Math.Abs(pca.ExplainedVariance[c] - expected) < 1e-4 * expected, $"variance {c}: {pca.ExplainedVariance[c]} vs {expected}");
            Assert.True(Math.Abs(pca.ExplainedVarianceRatio[c] - svd.S[c] * svd.S[c] / total) < 1e-5);
            for (int d = 0; d < 5; d++)   // orthonormal rows
                Assert.Equal(c == d ? 1.0 : 0.0, Enumerable.Range(0, 12).Sum(i => (double)pca.Components.At(c, i) * pca.Components.At(d, i)), 5);
            // svd_flip: the largest-magnitude entry of each component is positive.
            float[] row = Enumerable.Range(0, 12).Select(i => pca.Components.At(c, i)).ToArray();
            Assert.True(row.MaxBy(MathF.Abs) > 0);
        }
        for (int j = 0; j < 12; j++)
            Assert.Equal(Enumerable.Range(0, 200).Average(i => data.At(i, j)), pca.Mean.At(j), 4);
    }

    [Fact]
    public void AllComponentsReconstructExactly()
    {
        Tensor data = RandomRows(100, 16, seed: 2);
        var pca = new Pca(16).Fit(data);
        float[] x = data.ToArray(), y = pca.Reconstruct(data).ToArray();
        float scale = x.Max(MathF.Abs);
        Assert.All(x.Zip(y), p => Assert.True(MathF.Abs(p.First - p.Second) < 1e-5f * scale, $"{p.First} vs {p.Second}"));
        Assert.Equal(1.0, pca.ExplainedVarianceRatio.Sum(), 4);
    }

    [Fact]
    public void TransformAndInverseTransformAreInverseOnTheSubspace()
    {
        Tensor data = LowRankRows(150, 20, rank: 4, noise: 0f, seed: 3);
        var pca = new Pca(4).Fit(data);
        float[] x = data.ToArray(), rebuilt = pca.Reconstruct(data).ToArray();
        Assert.All(x.Zip(rebuilt), p => Assert.True(MathF.Abs(p.First - p.Second) < 1e-4f, $"{p.First} vs {p.Second}"));

        Tensor codes = Tensor.Normal(new Rng(4), 0f, 2f, 30, 4);
        float[] again = pca.Transform(pca.InverseTransform(codes)).ToArray();
        Assert.All(codes.ToArray().Zip(again), p => Assert.True(MathF.Abs(p.First - p.Second) < 1e-4f, $"{p.First} vs {p.Second}"));
    }

    [Fact]
    public void RandomizedSolverOnWideDataFindsTheExactSubspace()
    {
        const int rows = 300, cols = 3000, rank = 10;
        Tensor data = LowRankRows(rows, cols, rank, noise: 0.01f, seed: 5);
        Assert.True(cols > Pca.CovarianceLimit);   // so Fit takes the randomized path
        var pca = new Pca(rank, seed: 11).Fit(data);

        // The oracle, exact in double: Xc·Xcᵀ = U·S²·Uᵀ [rows, rows], and the right singular vectors are Xcᵀ·U·S⁻¹.
        Matrix<double> xc = Centred(data);
        var evd = (xc * xc.Transpose()).Evd(Symmetricity.Symmetric);
        int[] order = Enumerable.Range(0, rows).OrderByDescending(i => evd.EigenValues[i].Real).ToArray();
        for (int c = 0; c < rank; c++)
        {
            double eigenvalue = evd.EigenValues[order[c]].Real;
            Vector<double> v = xc.TransposeThisAndMultiply(evd.EigenVectors.Column(order[c])) / Math.Sqrt(eigenvalue);
            Assert.True(Math.Abs(Dot(pca.Components, c, v)) > 1 - 1e-4, $"component {c}: |dot| = {Math.Abs(Dot(pca.Components, c, v))}");
            double expected = eigenvalue / (rows - 1);
            Assert.True(Math.Abs(pca.ExplainedVariance[c] - expected) < 1e-4 * expected, $"variance {c}: {pca.ExplainedVariance[c]} vs {expected}");
        }
    }

    [Fact]
    public void TheSameSeedGivesTheSameResult()
    {
        Tensor wide = LowRankRows(60, 2100, rank: 5, noise: 0.1f, seed: 6), narrow = RandomRows(80, 10, seed: 7);
        Assert.Equal(new Pca(5, seed: 3).Fit(wide).Components.ToArray(), new Pca(5, seed: 3).Fit(wide).Components.ToArray());
        Assert.Equal(new Pca(5, seed: 3).Fit(wide).ExplainedVariance, new Pca(5, seed: 3).Fit(wide).ExplainedVariance);
        Assert.Equal(new Pca(4).Fit(narrow).Components.ToArray(), new Pca(4).Fit(narrow).Components.ToArray());
    }

    [Fact]
    public void BadInputGetsAClearArgumentException()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Pca(0));
        Assert.Throws<InvalidOperationException>(() => new Pca(2).Transform(Tensor.Zeros(3, 4)));

        Tensor data = RandomRows(20, 6, seed: 8);
        data.Span[1 * 6 + 2] = float.NaN;
        var nan = Assert.Throws<ArgumentException>(() => new Pca(2).Fit(data));
        Assert.Contains("row 1, column 2", nan.Message);   // rows and columns count from 0
        data.Span[1 * 6 + 2] = float.PositiveInfinity;
        Assert.Contains("row 1, column 2", Assert.Throws<ArgumentException>(() => new Pca(2).Fit(data)).Message);

        var tooMany = Assert.Throws<ArgumentException>(() => new Pca(7).Fit(RandomRows(20, 6, seed: 8)));
        Assert.Contains("7 components", tooMany.Message);
        Assert.Contains("[20, 6]", tooMany.Message);
        Assert.Throws<ArgumentException>(() => new Pca(3).Fit(RandomRows(2, 6, seed: 8)));
        Assert.Throws<ArgumentException>(() => new Pca(1).Fit(Tensor.Zeros(12)));

        var pca = new Pca(2).Fit(RandomRows(20, 6, seed: 9));
        var transform = Assert.Throws<ArgumentException>(() => pca.Transform(Tensor.Zeros(4, 5)));
        Assert.Contains("[4, 5]", transform.Message);
        Assert.Contains("[2, 6]", transform.Message);
        var inverse = Assert.Throws<ArgumentException>(() => pca.InverseTransform(Tensor.Zeros(4, 3)));
        Assert.Contains("[4, 3]", inverse.Message);
        Assert.Contains("[2, 6]", inverse.Message);
    }

    [Fact]
    public void CallersDataIsNeverModified()
    {
        Tensor data = RandomRows(50, 8, seed: 10), codes = Tensor.Normal(new Rng(1), 0f, 1f, 5, 3);
        float[] before = data.ToArray(), codesBefore = codes.ToArray();
        var pca = new Pca(3).Fit(data);
        pca.Transform(data);
        pca.Reconstruct(data);
        pca.InverseTransform(codes);
        Assert.Equal(before, data.ToArray());
        Assert.Equal(codesBefore, codes.ToArray());
    }

    [Fact]
    public void StateRoundTripsThroughASafetensorsFile()
    {
        using var dir = new TempFolder();
        Tensor data = RandomRows(60, 9, seed: 12);
        var pca = new Pca(4).Fit(data);
        string path = dir.File("pca.safetensors");
        SafeTensorsFile.Save(path, pca.State);
        var loaded = Pca.FromState(SafeTensorsFile.Load(path).Tensors);
        Assert.Equal(pca.Transform(data).ToArray(), loaded.Transform(data).ToArray());
        Assert.Equal(pca.Reconstruct(data).ToArray(), loaded.Reconstruct(data).ToArray());
        Assert.Equal(pca.ExplainedVariance, loaded.ExplainedVariance);
        Assert.Equal(pca.ExplainedVarianceRatio, loaded.ExplainedVarianceRatio);

        var state = pca.State.ToDictionary(p => p.Name, p => p.Tensor);
        state["mean"] = Tensor.Zeros(8);
        var wrong = Assert.Throws<ArgumentException>(() => Pca.FromState(state));
        Assert.Contains("'mean'", wrong.Message);
        Assert.Contains("[8]", wrong.Message);
        state.Remove("mean");
        Assert.Contains("lacks the tensor 'mean'", Assert.Throws<ArgumentException>(() => Pca.FromState(state)).Message);
    }

    /// <summary>
    /// MNIST with 30 components: the test images' squared error, summed over the 784 pixels (scaled to [0, 1]) and
    /// averaged over the 10,000 images, is 13.87 in Hinton &amp; Salakhutdinov (2006) and in scikit-learn.
    /// </summary>
    [SkippableFact]
    public void Mnist30ComponentsMatchTheReferenceError()
    {
        string folder = SharedData.Require("mnist");
        Tensor train = Datasets.Load("mnist", Split.Train, folder).Features;
        Tensor test = Datasets.Load("mnist", Split.Test, folder).Features;
        Assert.Equal([60000, 784], train.Shape);

        var pca = new Pca(30).Fit(train);
        float[] x = test.ToArray(), y = pca.Reconstruct(test).ToArray();
        double squaredError = 0;
        for (int i = 0; i < x.Length; i++) squaredError += (double)(x[i] - y[i]) * (x[i] - y[i]);
        double perImage = squaredError / test.Dim(0);
        Assert.True(Math.Abs(perImage - 13.87) < 0.05, $"PCA-30 test error {perImage:F4} per image");
    }
}
