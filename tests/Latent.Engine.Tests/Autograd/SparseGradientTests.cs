using Latent.Engine;

namespace Latent.Engine.Tests.Autograd;

/// <summary>The sparse ops against finite differences and against the dense ops they stand for.</summary>
public class SparseGradientTests
{
    /// <summary>A random [rows, columns] sparse matrix with about a third of the cells stored (a row may be empty).</summary>
    private static SparseMatrix RandomSparse(int rows, int columns, ulong seed)
    {
        var rng = new Rng(seed);
        var starts = new List<int> { 0 };
        var cols = new List<int>();
        var values = new List<float>();
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                if (rng.NextFloat() >= 0.35f) continue;
                cols.Add(c);
                values.Add(rng.NextFloat() * 4f - 2f);
            }
            starts.Add(cols.Count);
        }
        return new SparseMatrix(rows, columns, [.. starts], [.. cols], [.. values]);
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(5, 9, 7)]
    [InlineData(40, 300, 260)]   // large enough to be split between threads
    public void SparseMatMulMatchesTheDenseProductAndItsGradient(int rows, int inputs, int outputs)
    {
        SparseMatrix x = RandomSparse(rows, inputs, seed: 3);
        Tensor w = GradCheck.Random(4, inputs, outputs);
        using (Tensor.NoGrad())
        {
            float[] sparse = Ops.SparseMatMul(x, w).ToArray(), dense = Ops.MatMul(x.ToDense(), w).ToArray();
            for (int i = 0; i < dense.Length; i++) Assert.Equal(dense[i], sparse[i], 1e-4);
        }
        GradCheck.Check(t => Ops.SparseMatMul(x, t[0]), [w]);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void SampledLinearMatchesTheDenseLayerAtThePairsAndItsGradient(bool withBias)
    {
        const int n = 6, k = 300, outputs = 9;   // k large enough to be split between threads
        Tensor h = GradCheck.Random(1, n, k), weight = GradCheck.Random(2, outputs, k), bias = GradCheck.Random(3, outputs);
        int[] rows = [0, 0, 2, 5, 5, 3, 0], columns = [1, 8, 8, 0, 4, 4, 1];   // repeats: gradients must add up
        using (Tensor.NoGrad())
        {
            Tensor dense = Ops.Linear(h, weight, withBias ? bias : null);
            float[] sampled = Ops.SampledLinear(h, weight, withBias ? bias : null, rows, columns).ToArray();
            for (int e = 0; e < rows.Length; e++) Assert.Equal(dense.At(rows[e], columns[e]), sampled[e], 1e-4);
        }
        Tensor[] inputs = withBias ? [h, weight, bias] : [h, weight];
        GradCheck.Check(t => Ops.SampledLinear(t[0], t[1], withBias ? t[2] : null, rows, columns), inputs);
    }

    [Fact]
    public void CellsThatAreNotSampledGetNoGradient()
    {
        Tensor h = GradCheck.Random(1, 3, 4), weight = GradCheck.Random(2, 5, 4);
        h.RequiresGrad = weight.RequiresGrad = true;
        Ops.SampledLinear(h, weight, null, [1], [3]).Sum().Backward();
        float[] dh = h.Grad!.ToArray(), dw = weight.Grad!.ToArray();
        for (int i = 0; i < dh.Length; i++) Assert.True(i / 4 == 1 || dh[i] == 0f, $"h row {i / 4} got a gradient");
        for (int i = 0; i < dw.Length; i++) Assert.True(i / 4 == 3 || dw[i] == 0f, $"weight row {i / 4} got a gradient");
    }

    [Fact]
    public void BadShapesAndIndicesAreRefused()
    {
        SparseMatrix x = RandomSparse(3, 4, seed: 1);
        Assert.Throws<ArgumentException>(() => Ops.SparseMatMul(x, Tensor.Zeros(5, 2)));
        Assert.Throws<ArgumentException>(() => Ops.SampledLinear(Tensor.Zeros(2, 3), Tensor.Zeros(4, 3), null, [2], [0]));
        Assert.Throws<ArgumentException>(() => Ops.SampledLinear(Tensor.Zeros(2, 3), Tensor.Zeros(4, 3), null, [0, 1], [0]));
        Assert.Throws<ArgumentException>(() => new SparseMatrix(2, 3, [0, 2, 1], [0, 1], [1f, 1f]));
        Assert.Throws<ArgumentException>(() => new SparseMatrix(1, 3, [0, 1], [3], [1f]));
    }
}
