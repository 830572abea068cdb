namespace Latent.Engine.Tests.Convolution;

public class PoolingTests
{
    /// <summary>Max or mean over each window from the definition (PyTorch's divisor rule for the mean).</summary>
    private static float[] NaivePool(Tensor x, bool max, int k, int s, int pt, int pb, int pl, int pr, int oh, int ow, bool countPad)
    {
        int n = x.Dim(0), c = x.Dim(1), h = x.Dim(2), w = x.Dim(3);
        var y = new float[n * c * oh * ow];
        for (int p = 0; p < n * c; p++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++)
                {
                    double best = double.NegativeInfinity, sum = 0;
                    int inside = 0;
                    for (int a = 0; a < k; a++)
                        for (int b = 0; b < k; b++)
                        {
                            int yy = i * s - pt + a, xx = j * s - pl + b;
                            if (yy < 0 || yy >= h || xx < 0 || xx >= w) continue;
                            float v = x.At(p / c, p % c, yy, xx);
                            best = Math.Max(best, v);
                            sum += v;
                            inside++;
                        }
                    int y0 = i * s - pt, x0 = j * s - pl;
                    int padded = (Math.Min(y0 + k, h + pb) - y0) * (Math.Min(x0 + k, w + pr) - x0);
                    y[(p * oh + i) * ow + j] = (float)(max ? best : sum / (countPad ? padded : inside));
                }
        return y;
    }

    [Theory]
    [InlineData(2, 2, 0, false, 6, 7)]
    [InlineData(3, 2, 1, false, 7, 7)]
    [InlineData(3, 2, 1, true, 6, 8)]
    [InlineData(2, 1, 0, false, 5, 4)]    // overlapping windows
    [InlineData(3, 3, 0, true, 7, 8)]     // ceil mode adds a partial window
    public void PoolingMatchesTheDefinition(int k, int s, int p, bool ceil, int h, int w)
    {
        Tensor x = GradCheck.Random(1, 2, 3, h, w);
        Tensor max = Ops.MaxPool2d(x, k, s, p, ceil), mean = Ops.AvgPool2d(x, k, s, p, ceil), meanInside = Ops.AvgPool2d(x, k, s, p, ceil, countIncludePad: false);
        int oh = max.Dim(2), ow = max.Dim(3);
        int expectedH = (h + 2 * p - k + (ceil ? s - 1 : 0)) / s + 1, expectedW = (w + 2 * p - k + (ceil ? s - 1 : 0)) / s + 1;
        if (ceil && (expectedH - 1) * s >= h + p) expectedH--;
        if (ceil && (expectedW - 1) * s >= w + p) expectedW--;
        Assert.Equal([2, 3, expectedH, expectedW], max.Shape);
        Assert.Equal(NaivePool(x, true, k, s, p, p, p, p, oh, ow, false), max.ToArray());
        AssertClose(NaivePool(x, false, k, s, p, p, p, p, oh, ow, true), mean.ToArray());
        AssertClose(NaivePool(x, false, k, s, p, p, p, p, oh, ow, false), meanInside.ToArray());
    }

    [Fact]
    public void AveragePoolingMatchesPyTorchWithCeilModeAndPadding()
    {
        // torch.nn.functional.avg_pool2d(torch.arange(25.).view(1,1,5,5), 3, 2, padding=1, ceil_mode=True)
        Tensor x = Tensor.FromArray([.. Enumerable.Range(0, 25).Select(v => (float)v)], 1, 1, 5, 5);
        AssertClose([4f / 3, 3f, 8f / 3, 7f, 12f, 9f, 8f, 13f, 28f / 3], Ops.AvgPool2d(x, 3, 2, 1, ceilMode: true).ToArray());
    }

    [Fact]
    public void SamePaddingPoolsSevenToFourLikeKeras()
    {
        Tensor x = GradCheck.Random(2, 2, 3, 7, 7);
        Tensor y = Ops.MaxPool2d(x, 2, padding: Padding2d.Same);
        Assert.Equal([2, 3, 4, 4], y.Shape);
        Assert.Equal(NaivePool(x, true, 2, 2, 0, 1, 0, 1, 4, 4, false), y.ToArray());
        Assert.Equal(y.ToArray(), Ops.MaxPool2d(x, 2, ceilMode: true).ToArray());   // PyTorch's way to the same result
        Tensor mean = Ops.AvgPool2d(x, 2, padding: Padding2d.Same);
        AssertClose(NaivePool(x, false, 2, 2, 0, 1, 0, 1, 4, 4, false), mean.ToArray());   // Keras never counts the padding
    }

    [Theory]
    [InlineData(2, 2, 0, false)]
    [InlineData(3, 2, 1, true)]
    [InlineData(3, 1, 1, false)]
    public void PoolingGradients(int k, int s, int p, bool ceil)
    {
        // Distinct values away from each other, so that a tiny perturbation never changes which element is largest.
        var rng = new Rng(3);
        int[] order = rng.Permutation(2 * 3 * 7 * 6);
        Tensor x = Tensor.FromArray([.. order.Select(v => v * 0.1f)], 2, 3, 7, 6);
        GradCheck.Check(t => Ops.MaxPool2d(t[0], k, s, p, ceil), [x]);
        GradCheck.Check(t => Ops.AvgPool2d(t[0], k, s, p, ceil), [GradCheck.Random(4, 2, 3, 7, 6)]);
        GradCheck.Check(t => Ops.AvgPool2d(t[0], k, s, p, ceil, countIncludePad: false), [GradCheck.Random(5, 1, 2, 5, 6)]);
    }

    [Fact]
    public void MaxPoolingSendsTheGradientToTheFirstLargestElementOfEachWindow()
    {
        var x = Tensor.FromArray([1, 5, 5, 2, 5, 4, 0, 5], 1, 1, 2, 4);   // both windows hold their maximum twice
        x.RequiresGrad = true;
        Ops.Sum(Ops.MaxPool2d(x, 2) * Tensor.FromArray([2, 3], 1, 1, 1, 2)).Backward();
        Assert.Equal([0, 2, 3, 0, 0, 0, 0, 0], x.Grad!.ToArray());
        var general = Tensor.FromArray([1, 5, 5, 2, 5, 4, 0, 5], 1, 1, 2, 4);   // a 2×3 window takes the searching path
        general.RequiresGrad = true;
        Ops.Sum(Ops.MaxPool2d(general, new Size2d(2, 3), stride: 1)).Backward();
        Assert.Equal([0, 2, 0, 0, 0, 0, 0, 0], general.Grad!.ToArray());
    }

    [Fact]
    public void WideRowsTakeTheVectorPathWithTheSameResults()
    {
        // 37 columns: 18 windows per row, 16 in a full vector step, 2 in a partial (masked or scalar) one, and a leftover column.
        var rng = new Rng(11);
        int[] order = rng.Permutation(2 * 3 * 7 * 37);
        Tensor x = Tensor.FromArray([.. order.Select(v => (v % 50) * 0.25f)], 2, 3, 7, 37);   // many ties
        Tensor y = Ops.MaxPool2d(x, 2);
        Assert.Equal(NaivePool(x, true, 2, 2, 0, 0, 0, 0, 3, 18, false), y.ToArray());
        x.RequiresGrad = true;
        Tensor weights = GradCheck.Random(12, 2, 3, 3, 18);
        Ops.Sum(Ops.MaxPool2d(x, 2) * weights).Backward();
        // Expected: each window's weight at its first largest element (row-major), zero elsewhere.
        var expected = new float[x.Length];
        for (int p = 0; p < 6; p++)
            for (int i = 0; i < 3; i++)
                for (int j = 0; j < 18; j++)
                {
                    int best = -1;
                    for (int a = 0; a < 2; a++)
                        for (int b = 0; b < 2; b++)
                        {
                            int at = (p * 7 + 2 * i + a) * 37 + 2 * j + b;
                            if (best < 0 || x.Span[at] > x.Span[best]) best = at;
                        }
                    expected[best] = weights.Span[(p * 3 + i) * 18 + j];
                }
        Assert.Equal(expected, x.Grad!.ToArray());
        var nan = Tensor.Zeros(1, 1, 2, 32);
        nan.Span[5] = float.NaN;
        nan.Span[32 + 20] = float.NaN;
        float[] pooled = Ops.MaxPool2d(nan, 2).ToArray();
        Assert.True(float.IsNaN(pooled[2]) && float.IsNaN(pooled[10]));
        Assert.Equal(14, pooled.Count(v => v == 0f));
        // 28 columns (a 28×28 image): 14 windows, all in one partial step.
        var narrow = Tensor.Zeros(1, 1, 2, 28);
        narrow.Span[28 + 25] = float.NaN;
        narrow.Span[3] = 1f;
        float[] narrowPooled = Ops.MaxPool2d(narrow, 2).ToArray();
        Assert.Equal(14, narrowPooled.Length);
        Assert.True(float.IsNaN(narrowPooled[12]) && narrowPooled[1] == 1f);
        Assert.Equal(12, narrowPooled.Count(v => v == 0f));
    }

    [Fact]
    public void NaNWinsMaxPooling()
    {
        var x = Tensor.FromArray([1, float.NaN, 3, 4], 1, 1, 2, 2);
        Assert.True(float.IsNaN(Ops.MaxPool2d(x, 2).Item()));
    }

    [Fact]
    public void BadPoolingArgumentsAreRefused()
    {
        Assert.Throws<ArgumentException>(() => Ops.MaxPool2d(Tensor.Zeros(2, 3, 4), 2));
        Assert.Throws<ArgumentException>(() => Ops.MaxPool2d(Tensor.Zeros(1, 1, 4, 4), 0));
        Assert.Throws<ArgumentException>(() => Ops.MaxPool2d(Tensor.Zeros(1, 1, 4, 4), 2, padding: 2));
        var e = Assert.Throws<ArgumentException>(() => Ops.AvgPool2d(Tensor.Zeros(1, 1, 2, 2), 3));
        Assert.Contains("[1, 1, 2, 2]", e.Message);
    }

    private static void AssertClose(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5f * (1 + Math.Abs(expected[i])), $"element {i}: expected {expected[i]}, got {actual[i]}");
    }
}
