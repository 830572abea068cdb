namespace Latent.Engine.Tests.Convolution;

public class ConvolutionTests
{
    public static TheoryData<int, int, int, int, int, int, int, int> ConvShapes() => new()
    {
        // batch, in, out, height, width, kernel (square), stride, dilation
        { 2, 3, 5, 7, 6, 3, 1, 1 },
        { 1, 1, 4, 5, 9, 2, 2, 1 },
        { 3, 2, 3, 9, 7, 3, 2, 2 },
        { 2, 4, 1, 6, 6, 1, 1, 1 },     // 1×1: the columns are the image itself
        { 5, 2, 3, 4, 5, 3, 3, 1 },     // stride larger than the overlap
        { 1, 3, 2, 11, 10, 5, 1, 2 },
        { 2, 5, 6, 8, 7, 3, 1, 2 },     // many channels at stride 1: im2col + GEMM (few channels: the direct kernel)
        { 1, 2, 8, 9, 9, 3, 1, 1 },     // few inputs, many outputs: forward by im2col + GEMM, backward by the direct kernel
    };

    [Theory]
    [MemberData(nameof(ConvShapes))]
    public void Conv2dMatchesTheDefinition(int n, int c, int o, int h, int w, int k, int s, int d)
    {
        Tensor x = GradCheck.Random(1, n, c, h, w), weight = GradCheck.Random(2, o, c, k, k), bias = GradCheck.Random(3, o);
        foreach (var (pt, pb, pl, pr) in new[] { (0, 0, 0, 0), (1, 1, 1, 1), (2, 0, 1, 3) })
        {
            double[] expected = NaiveConvolution.Conv2d(x, weight, bias, s, s, pt, pb, pl, pr, d, d, out int[] shape);
            Tensor y = Ops.Conv2d(x, weight, bias, stride: s, padding: new Padding2d(pt, pb, pl, pr), dilation: d);
            Assert.Equal(shape, y.Shape);
            NaiveConvolution.AssertClose(expected, y);
        }
    }

    [Fact]
    public void Conv2dWithRectangularStrideDilationAndKernel()
    {
        Tensor x = GradCheck.Random(4, 2, 3, 10, 9), weight = GradCheck.Random(5, 4, 3, 2, 3);
        double[] expected = NaiveConvolution.Conv2d(x, weight, null, 2, 1, 1, 0, 2, 2, 1, 3, out int[] shape);
        Tensor y = Ops.Conv2d(x, weight, stride: new Size2d(2, 1), padding: new Padding2d(1, 0, 2, 2), dilation: new Size2d(1, 3));
        Assert.Equal(shape, y.Shape);
        NaiveConvolution.AssertClose(expected, y);
    }

    [Theory]
    [InlineData(28, 3, 1, 28)]
    [InlineData(7, 3, 1, 7)]
    [InlineData(7, 2, 2, 4)]
    [InlineData(8, 4, 1, 8)]      // even kernel: the odd padding row goes to the bottom
    [InlineData(9, 3, 2, 5)]
    public void SamePaddingKeepsCeilOfSizeOverStride(int size, int kernel, int stride, int expected)
    {
        Tensor x = GradCheck.Random(6, 1, 2, size, size), w = GradCheck.Random(7, 3, 2, kernel, kernel);
        Tensor y = Ops.Conv2d(x, w, stride: stride, padding: Padding2d.Same);
        Assert.Equal([1, 3, expected, expected], y.Shape);
        int total = Math.Max((expected - 1) * stride + kernel - size, 0);
        double[] naive = NaiveConvolution.Conv2d(x, w, null, stride, stride, total / 2, total - total / 2, total / 2, total - total / 2, 1, 1, out _);
        NaiveConvolution.AssertClose(naive, y);
    }

    [Theory]
    [InlineData(Activation.Relu)]
    [InlineData(Activation.Sigmoid)]
    [InlineData(Activation.Softplus)]   // not fused: applied after the convolution
    public void FusedActivationEqualsSeparateActivation(Activation activation)
    {
        Tensor x = GradCheck.Random(8, 2, 3, 6, 5), w = GradCheck.Random(9, 4, 3, 3, 3), b = GradCheck.Random(10, 4);
        Tensor fused = Ops.Conv2d(x, w, b, padding: 1, activation: activation);
        Tensor separate = Ops.Activate(Ops.Conv2d(x, w, b, padding: 1), activation);
        Assert.Equal(separate.ToArray(), fused.ToArray());
    }

    [Theory]
    [MemberData(nameof(ConvShapes))]
    public void Conv2dGradients(int n, int c, int o, int h, int w, int k, int s, int d) =>
        GradCheck.Check(t => Ops.Conv2d(t[0], t[1], t[2], stride: s, padding: new Padding2d(1, 0, 0, 1), dilation: d),
            [GradCheck.Random(11, n, c, h, w), GradCheck.Random(12, o, c, k, k), GradCheck.Random(13, o)]);

    [Fact]
    public void Conv2dGradientsThroughAFusedActivation() =>
        GradCheck.Check(t => Ops.Conv2d(t[0], t[1], t[2], padding: Padding2d.Same, activation: Activation.Tanh),
            [GradCheck.Random(14, 3, 2, 5, 6), GradCheck.Random(15, 3, 2, 3, 3), GradCheck.Random(16, 3)]);

    [Fact]
    public void Conv2dGradientsWhenOnlyTheWeightLearns()
    {
        Tensor x = GradCheck.Random(17, 2, 3, 5, 5), w = GradCheck.Random(18, 2, 3, 3, 3);
        GradCheck.Check(t => Ops.Conv2d(x, t[0], stride: 2, padding: 1), [w]);
        Assert.Null(x.Grad);
    }

    public static TheoryData<int, int, int, int, int, int, int, int, int> TransposeShapes() => new()
    {
        // batch, in, out, height, width, kernel, stride, padding, output padding
        { 2, 3, 2, 4, 5, 3, 2, 1, 1 },
        { 1, 2, 3, 3, 3, 2, 2, 0, 0 },
        { 3, 1, 4, 5, 4, 3, 1, 1, 0 },
        { 2, 2, 2, 3, 2, 4, 3, 2, 2 },
        { 2, 3, 2, 4, 4, 1, 1, 0, 0 },   // 1×1
    };

    [Theory]
    [MemberData(nameof(TransposeShapes))]
    public void ConvTranspose2dMatchesTheDefinition(int n, int c, int o, int h, int w, int k, int s, int p, int op)
    {
        Tensor x = GradCheck.Random(20, n, c, h, w), weight = GradCheck.Random(21, c, o, k, k), bias = GradCheck.Random(22, o);
        Tensor y = Ops.ConvTranspose2d(x, weight, bias, stride: s, padding: p, outputPadding: op);
        int oh = (h - 1) * s - 2 * p + k + op, ow = (w - 1) * s - 2 * p + k + op;
        Assert.Equal([n, o, oh, ow], y.Shape);
        NaiveConvolution.AssertClose(NaiveConvolution.ConvTranspose2d(x, weight, bias, s, s, p, p, 1, 1, oh, ow), y);
    }

    [Theory]
    [MemberData(nameof(TransposeShapes))]
    public void ConvTranspose2dGradients(int n, int c, int o, int h, int w, int k, int s, int p, int op) =>
        GradCheck.Check(t => Ops.ConvTranspose2d(t[0], t[1], t[2], stride: s, padding: p, outputPadding: op, activation: Activation.Elu),
            [GradCheck.Random(23, n, c, h, w), GradCheck.Random(24, c, o, k, k), GradCheck.Random(25, o)]);

    [Fact]
    public void ConvTranspose2dWithDilationAndSamePadding()
    {
        Tensor x = GradCheck.Random(26, 2, 2, 4, 3), w = GradCheck.Random(27, 2, 3, 3, 3);
        Tensor y = Ops.ConvTranspose2d(x, w, dilation: 2);
        Assert.Equal([2, 3, 8, 7], y.Shape);
        NaiveConvolution.AssertClose(NaiveConvolution.ConvTranspose2d(x, w, null, 1, 1, 0, 0, 2, 2, 8, 7), y);

        Tensor same = Ops.ConvTranspose2d(x, w, stride: 2, padding: Padding2d.Same);
        Assert.Equal([2, 3, 8, 6], same.Shape);   // Keras: input × stride
        NaiveConvolution.AssertClose(NaiveConvolution.ConvTranspose2d(x, w, null, 2, 2, 0, 0, 1, 1, 8, 6), same);
        GradCheck.Check(t => Ops.ConvTranspose2d(t[0], t[1], stride: 2, padding: Padding2d.Same, dilation: 2), [x, w]);
    }

    [Fact]
    public void ConvTransposeIsTheAdjointOfConv()
    {
        // ⟨conv(x, w), y⟩ = ⟨x, convᵀ(y, w)⟩ for the same geometry.
        Tensor x = GradCheck.Random(28, 2, 3, 9, 8), w = GradCheck.Random(29, 4, 3, 3, 3);
        Tensor cx = Ops.Conv2d(x, w, stride: 2, padding: 1);
        Tensor y = GradCheck.Random(30, [.. cx.Shape]);
        Tensor ty = Ops.ConvTranspose2d(y, w, stride: 2, padding: 1, outputPadding: new Size2d(0, 1));
        Assert.Equal(x.Shape, ty.Shape);
        double left = Dot(cx, y), right = Dot(x, ty);
        Assert.Equal(left, right, 3);
    }

    [Theory]
    [InlineData(8, 16, 12)]   // im2col + GEMM
    [InlineData(2, 16, 16)]   // the direct kernel
    public void LargeBatchSplitAcrossThreadsMatchesOneThread(int inChannels, int outChannels, int size)
    {
        // Big enough that the batch is split over threads; the result must equal the single-threaded one closely.
        Tensor x = GradCheck.Random(31, 16, inChannels, size, size), w = GradCheck.Random(32, outChannels, inChannels, 3, 3), b = GradCheck.Random(33, outChannels);
        int saved = Parallelism.Threads;
        try
        {
            Parallelism.Threads = 1;
            var (y1, gx1, gw1, gb1) = ForwardBackward(x, w, b);
            Parallelism.Threads = 3;
            var (y3, gx3, gw3, gb3) = ForwardBackward(x, w, b);
            Assert.Equal(y1, y3);
            Assert.Equal(gx1, gx3);
            AssertNear(gw1, gw3);
            AssertNear(gb1, gb3);
        }
        finally
        {
            Parallelism.Threads = saved;
        }
    }

    [Theory]
    [InlineData(32, 32, 23, 1)]   // ~10 MFLOP per image: split into output-row bands, one per thread
    [InlineData(48, 40, 33, 2)]   // stride 2: bands of rows that read overlapping input rows
    public void SingleImageSplitIntoRowBandsMatchesOneThread(int inChannels, int outChannels, int size, int stride)
    {
        Tensor x = GradCheck.Random(41, 1, inChannels, size, size), w = GradCheck.Random(42, outChannels, inChannels, 3, 3), b = GradCheck.Random(43, outChannels);
        int saved = Parallelism.Threads;
        try
        {
            using var _ = Tensor.NoGrad();
            Parallelism.Threads = 1;
            float[] one = Ops.Conv2d(x, w, b, stride: stride, padding: 1, activation: Activation.Relu).ToArray();
            Parallelism.Threads = 3;
            float[] three = Ops.Conv2d(x, w, b, stride: stride, padding: 1, activation: Activation.Relu).ToArray();
            Assert.Equal(one, three);
            Assert.Equal(Naive(x, w, b, stride), one, (e, a) => Math.Abs(e - a) <= 1e-4f * (1 + Math.Abs(e)));
        }
        finally
        {
            Parallelism.Threads = saved;
        }
    }

    /// <summary>relu(conv(x) + b) for one image, padding 1, by the definition.</summary>
    private static float[] Naive(Tensor x, Tensor w, Tensor b, int stride)
    {
        int channels = x.Dim(1), size = x.Dim(2), outChannels = w.Dim(0), outSize = (size + 2 - 3) / stride + 1;
        var y = new float[outChannels * outSize * outSize];
        for (int o = 0; o < outChannels; o++)
            for (int i = 0; i < outSize; i++)
                for (int j = 0; j < outSize; j++)
                {
                    double sum = b.At(o);
                    for (int c = 0; c < channels; c++)
                        for (int kh = 0; kh < 3; kh++)
                            for (int kw = 0; kw < 3; kw++)
                            {
                                int r = i * stride - 1 + kh, q = j * stride - 1 + kw;
                                if (r >= 0 && r < size && q >= 0 && q < size) sum += x.Span[(c * size + r) * size + q] * w.Span[((o * channels + c) * 3 + kh) * 3 + kw];
                            }
                    y[(o * outSize + i) * outSize + j] = (float)Math.Max(sum, 0);
                }
        return y;
    }

    [Fact]
    public void BadShapesAreRefusedWithTheirShapes()
    {
        var e = Assert.Throws<ArgumentException>(() => Ops.Conv2d(Tensor.Zeros(2, 3, 5, 5), Tensor.Zeros(4, 2, 3, 3)));
        Assert.Contains("[2, 3, 5, 5]", e.Message);
        Assert.Contains("[4, 2, 3, 3]", e.Message);
        Assert.Throws<ArgumentException>(() => Ops.Conv2d(Tensor.Zeros(2, 3, 5), Tensor.Zeros(4, 3, 3, 3)));
        e = Assert.Throws<ArgumentException>(() => Ops.Conv2d(Tensor.Zeros(1, 1, 2, 2), Tensor.Zeros(1, 1, 3, 3)));
        Assert.Contains("does not fit", e.Message);
        Assert.Throws<ArgumentException>(() => Ops.Conv2d(Tensor.Zeros(1, 1, 5, 5), Tensor.Zeros(1, 1, 3, 3), Tensor.Zeros(2)));
        Assert.Throws<ArgumentException>(() => Ops.Conv2d(Tensor.Zeros(1, 1, 5, 5), Tensor.Zeros(1, 1, 3, 3), stride: 0));
        Assert.Throws<ArgumentException>(() => Ops.Conv2d(Tensor.Zeros(1, 1, 5, 5), Tensor.Zeros(1, 1, 3, 3), padding: -1));
        Assert.Throws<ArgumentException>(() => Ops.ConvTranspose2d(Tensor.Zeros(1, 2, 5, 5), Tensor.Zeros(3, 1, 3, 3)));
        Assert.Throws<ArgumentException>(() => Ops.ConvTranspose2d(Tensor.Zeros(1, 2, 5, 5), Tensor.Zeros(2, 1, 3, 3), stride: 2, outputPadding: 2));
    }

    private static (float[] Y, float[] Gx, float[] Gw, float[] Gb) ForwardBackward(Tensor x, Tensor w, Tensor b)
    {
        Tensor[] leaves = [x.Detach(), w.Detach(), b.Detach()];
        foreach (Tensor t in leaves) t.RequiresGrad = true;
        Tensor y = Ops.Conv2d(leaves[0], leaves[1], leaves[2], padding: 1, activation: Activation.Relu);
        float[] values = y.ToArray();
        Ops.Sum(y * y).Backward();
        return (values, leaves[0].Grad!.ToArray(), leaves[1].Grad!.ToArray(), leaves[2].Grad!.ToArray());
    }

    private static void AssertNear(float[] expected, float[] actual)
    {
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-4f * (1 + Math.Abs(expected[i])), $"element {i}: {expected[i]} vs {actual[i]}");
    }

    private static double Dot(Tensor a, Tensor b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++) sum += (double)a.Span[i] * b.Span[i];
        return sum;
    }
}
