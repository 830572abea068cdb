namespace Latent.Engine.Tests.Convolution;

/// <summary>Expected values are PyTorch's <c>torch.nn.functional.interpolate</c> on the same inputs.</summary>
public class UpsampleTests
{
    private static readonly Tensor TwoByTwo = Tensor.FromArray([0, 1, 2, 3], 1, 1, 2, 2);

    [Fact]
    public void NearestRepeatsEachPixel()
    {
        Tensor y = Ops.Upsample(TwoByTwo, 2);
        Assert.Equal([0, 0, 1, 1, 0, 0, 1, 1, 2, 2, 3, 3, 2, 2, 3, 3], y.ToArray());
        Tensor z = Ops.Upsample(TwoByTwo, new Size2d(1, 3));
        Assert.Equal([1, 1, 2, 6], z.Shape);
        Assert.Equal([0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3], z.ToArray());
    }

    [Fact]
    public void NearestResizeToAnySize()
    {
        // F.interpolate(torch.arange(12.).view(1,1,3,4), size=(5,7), mode='nearest')
        Tensor x = Tensor.FromArray([.. Enumerable.Range(0, 12).Select(v => (float)v)], 1, 1, 3, 4);
        Tensor y = Ops.Resize(x, new Size2d(5, 7), UpsampleMode.Nearest);
        Assert.Equal([0, 0, 1, 1, 2, 2, 3, 0, 0, 1, 1, 2, 2, 3, 4, 4, 5, 5, 6, 6, 7, 4, 4, 5, 5, 6, 6, 7, 8, 8, 9, 9, 10, 10, 11], y.ToArray());
    }

    [Fact]
    public void BilinearMatchesPyTorch()
    {
        AssertClose([0, .25f, .75f, 1, .5f, .75f, 1.25f, 1.5f, 1.5f, 1.75f, 2.25f, 2.5f, 2, 2.25f, 2.75f, 3],
            Ops.Upsample(TwoByTwo, 2, UpsampleMode.Bilinear));
        float t = 1f / 3;
        AssertClose([0, t, 2 * t, 1, 2 * t, 1, 4 * t, 5 * t, 4 * t, 5 * t, 2, 7 * t, 2, 7 * t, 8 * t, 3],
            Ops.Upsample(TwoByTwo, 2, UpsampleMode.Bilinear, alignCorners: true));
        Tensor x = Tensor.FromArray([.. Enumerable.Range(0, 12).Select(v => (float)v)], 1, 1, 3, 4);
        AssertClose([7f / 6, 2.5f, 23f / 6, 43f / 6, 8.5f, 59f / 6], Ops.Resize(x, new Size2d(2, 3)));
    }

    [Fact]
    public void WideRowsTakeTheVectorPathWithTheSameResults()
    {
        Tensor x = GradCheck.Random(3, 2, 3, 5, 19);   // 19 columns: 16 in a full vector step, 3 in a partial (masked or scalar) one
        Tensor y = Ops.Upsample(x, 2);
        for (int p = 0; p < 6; p++)
            for (int i = 0; i < 10; i++)
                for (int j = 0; j < 38; j++)
                    Assert.Equal(x.Span[(p * 5 + i / 2) * 19 + j / 2], y.Span[(p * 10 + i) * 38 + j]);
        GradCheck.Check(t => Ops.Upsample(t[0], 2), [GradCheck.Random(4, 1, 2, 3, 21)], samplesPerInput: 126);
    }

    [Theory]
    [InlineData(UpsampleMode.Nearest, false)]
    [InlineData(UpsampleMode.Bilinear, false)]
    [InlineData(UpsampleMode.Bilinear, true)]
    public void Gradients(UpsampleMode mode, bool alignCorners)
    {
        GradCheck.Check(t => Ops.Upsample(t[0], new Size2d(2, 3), mode, alignCorners), [GradCheck.Random(1, 2, 3, 3, 4)]);
        GradCheck.Check(t => Ops.Resize(t[0], new Size2d(4, 3), mode, alignCorners), [GradCheck.Random(2, 1, 2, 7, 5)]);
    }

    [Fact]
    public void BadArgumentsAreRefused()
    {
        Assert.Throws<ArgumentException>(() => Ops.Upsample(Tensor.Zeros(2, 3, 4), 2));
        Assert.Throws<ArgumentException>(() => Ops.Upsample(TwoByTwo, 0));
        Assert.Throws<ArgumentException>(() => Ops.Resize(TwoByTwo, new Size2d(0, 3)));
    }

    private static void AssertClose(float[] expected, Tensor actual)
    {
        float[] a = actual.ToArray();
        Assert.Equal(expected.Length, a.Length);
        for (int i = 0; i < expected.Length; i++) Assert.True(Math.Abs(expected[i] - a[i]) < 1e-5f, $"element {i}: expected {expected[i]}, got {a[i]}");
    }
}
