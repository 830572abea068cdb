namespace Latent.Engine.Tests.Convolution;

public class DynamicFilterTests
{
    [Fact]
    public void ALargeLogitOnOneTapMovesTheImageByThatTap()
    {
        // 3×3 taps; tap 5 is (dy 0, dx +1): each output pixel reads its right neighbour, the last column reads 0.
        Tensor image = Tensor.FromArray([1, 2, 3, 4, 5, 6], 1, 1, 2, 3);
        var logits = Tensor.Zeros(1, 9, 2, 3);
        logits.Span.Slice(5 * 6, 6).Fill(40f);
        Tensor y = Ops.DynamicFilter(image, logits);
        float[] expected = [2, 3, 0, 5, 6, 0];
        for (int i = 0; i < 6; i++) Assert.True(Math.Abs(expected[i] - y.Span[i]) < 1e-5f, $"pixel {i}: {y.Span[i]}");
    }

    [Theory]
    [InlineData(5, 3)]    // one pixel at a time
    [InlineData(21, 5)]   // 16 pixels of a row at once, then 5 one at a time
    public void EachPixelIsTheSoftmaxWeightedSumOfItsNeighbourhoodWithZerosOutside(int width, int k)
    {
        int h = 4, r = k / 2;
        Tensor image = GradCheck.Random(1, 2, 3, h, width), logits = GradCheck.Random(2, -3f, 3f, 0f, 2, k * k, h, width);
        Tensor y = Ops.DynamicFilter(image, logits);
        for (int b = 0; b < 2; b++)
            for (int i = 0; i < h; i++)
                for (int j = 0; j < width; j++)
                {
                    var e = new double[k * k];
                    for (int t = 0; t < k * k; t++) e[t] = Math.Exp(logits.Span[((b * k * k + t) * h + i) * width + j]);
                    for (int c = 0; c < 3; c++)
                    {
                        double sum = 0;
                        for (int t = 0; t < k * k; t++)
                        {
                            int a = i + t / k - r, x = j + t % k - r;
                            if (a >= 0 && a < h && x >= 0 && x < width) sum += e[t] * image.Span[((b * 3 + c) * h + a) * width + x];
                        }
                        float actual = y.Span[((b * 3 + c) * h + i) * width + j];
                        Assert.True(Math.Abs(sum / e.Sum() - actual) < 1e-5, $"image {b} channel {c} pixel ({i}, {j}): {actual} vs {sum / e.Sum()}");
                    }
                }
    }

    [Fact]
    public void Gradients()
    {
        GradCheck.Check(t => Ops.DynamicFilter(t[0], t[1]), [GradCheck.Random(1, 2, 2, 4, 5), GradCheck.Random(2, 2, 9, 4, 5)], samplesPerInput: 60);
        GradCheck.Check(t => Ops.DynamicFilter(t[0], t[1]), [GradCheck.Random(3, 1, 1, 6, 3), GradCheck.Random(4, 1, 25, 6, 3)], samplesPerInput: 60);
        GradCheck.Check(t => Ops.DynamicFilter(t[0], t[1]), [GradCheck.Random(5, 1, 2, 3, 19), GradCheck.Random(6, 1, 9, 3, 19)], samplesPerInput: 120);
    }

    [Fact]
    public void BadShapesAreRefused()
    {
        Assert.Throws<ArgumentException>(() => Ops.DynamicFilter(Tensor.Zeros(1, 1, 4, 4), Tensor.Zeros(1, 4, 4, 4)));   // k even
        Assert.Throws<ArgumentException>(() => Ops.DynamicFilter(Tensor.Zeros(1, 1, 4, 4), Tensor.Zeros(1, 8, 4, 4)));   // not a square
        Assert.Throws<ArgumentException>(() => Ops.DynamicFilter(Tensor.Zeros(1, 1, 4, 4), Tensor.Zeros(1, 9, 4, 5)));   // another size
        Assert.Throws<ArgumentException>(() => Ops.DynamicFilter(Tensor.Zeros(1, 16), Tensor.Zeros(1, 9, 4, 4)));
    }
}
