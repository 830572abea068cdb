using Latent.Engine;
using Latent.Engine.Nn;

namespace Latent.Engine.Tests.Recurrent;

public class RecurrentLayerTests
{
    [Fact]
    public void LstmFollowsPyTorchsEquations()
    {
        var lstm = new Lstm(3, 10, rng: new Rng(1));
        Tensor x = GradCheck.Random(2, 5, 2, 3);
        using var _ = Tensor.NoGrad();
        SequenceOutput run = lstm.Run(x);
        float[] wi = lstm.NamedParameters().Single(p => p.Name == "weight_ih_l0").Tensor.ToArray();
        float[] wh = lstm.NamedParameters().Single(p => p.Name == "weight_hh_l0").Tensor.ToArray();
        float[] b = lstm.NamedParameters().Single(p => p.Name == "bias_ih_l0").Tensor.ToArray();
        const int H = 10;
        for (int row = 0; row < 2; row++)
        {
            var h = new double[H];
            var c = new double[H];
            for (int t = 0; t < 5; t++)
            {
                var z = new double[4 * H];
                for (int g = 0; g < 4 * H; g++)
                {
                    z[g] = b[g];
                    for (int i = 0; i < 3; i++) z[g] += wi[g * 3 + i] * x.At(t, row, i);
                    for (int j = 0; j < H; j++) z[g] += wh[g * H + j] * h[j];
                }
                for (int j = 0; j < H; j++)
                {
                    c[j] = Sigmoid(z[H + j]) * c[j] + Sigmoid(z[j]) * Math.Tanh(z[2 * H + j]);
                    h[j] = Sigmoid(z[3 * H + j]) * Math.Tanh(c[j]);
                    Assert.Equal(h[j], run.Output.At(t, row, j), 5);
                }
            }
            for (int j = 0; j < H; j++)
            {
                Assert.Equal(h[j], run.State.Hidden.At(0, row, j), 5);
                Assert.Equal(c[j], run.State.Cell!.At(0, row, j), 5);
            }
        }
    }

    [Fact]
    public void GruFollowsPyTorchsEquations()
    {
        var gru = new Gru(3, 10, rng: new Rng(3));
        foreach (Tensor p in gru.Parameters()) new Rng(4).FillUniform(p.Span, -0.5f, 0.5f);   // non-zero biases too
        Tensor x = GradCheck.Random(5, 5, 2, 3);
        using var _ = Tensor.NoGrad();
        Tensor output = gru.Run(x).Output;
        float[][] p4 = [.. gru.Parameters().Select(p => p.ToArray())];
        float[] wi = p4[0], wh = p4[1], bi = p4[2], bh = p4[3];
        const int H = 10;
        for (int row = 0; row < 2; row++)
        {
            var h = new double[H];
            for (int t = 0; t < 5; t++)
            {
                var xi = new double[3 * H];
                var hh = new double[3 * H];
                for (int g = 0; g < 3 * H; g++)
                {
                    xi[g] = bi[g];
                    hh[g] = bh[g];
                    for (int i = 0; i < 3; i++) xi[g] += wi[g * 3 + i] * x.At(t, row, i);
                    for (int j = 0; j < H; j++) hh[g] += wh[g * H + j] * h[j];
                }
                var next = new double[H];
                for (int j = 0; j < H; j++)
                {
                    double r = Sigmoid(xi[j] + hh[j]), zg = Sigmoid(xi[H + j] + hh[H + j]);
                    double n = Math.Tanh(xi[2 * H + j] + r * hh[2 * H + j]);
                    next[j] = (1 - zg) * n + zg * h[j];
                    Assert.Equal(next[j], output.At(t, row, j), 5);
                }
                h = next;
            }
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void PaddingDoesNotChangeARowsResult(bool lstmCell)
    {
        RecurrentLayer layer = lstmCell ? new Lstm(4, 16, layers: 2, bidirectional: true, rng: new Rng(6))
            : new Gru(4, 16, layers: 2, bidirectional: true, rng: new Rng(6));
        Tensor padded = GradCheck.Random(7, 6, 3, 4);
        int[] lengths = [6, 3, 5];
        using var _ = Tensor.NoGrad();
        SequenceOutput all = layer.Run(padded, lengths: lengths);
        for (int row = 0; row < 3; row++)
        {
            int n = lengths[row];
            var alone = Tensor.Zeros(n, 1, 4);
            for (int t = 0; t < n; t++)
                for (int i = 0; i < 4; i++) alone.Span[t * 4 + i] = padded.At(t, row, i);
            SequenceOutput single = layer.Run(alone);
            for (int t = 0; t < 6; t++)
                for (int j = 0; j < 32; j++)
                    Assert.Equal(t < n ? single.Output.At(t, 0, j) : 0f, all.Output.At(t, row, j), 5);
            for (int k = 0; k < 4; k++)
                for (int j = 0; j < 16; j++)
                {
                    Assert.Equal(single.State.Hidden.At(k, 0, j), all.State.Hidden.At(k, row, j), 5);
                    if (lstmCell) Assert.Equal(single.State.Cell!.At(k, 0, j), all.State.Cell!.At(k, row, j), 5);
                }
        }
    }

    [Fact]
    public void AStateCarriesOverBetweenCalls()
    {
        var lstm = new Lstm(2, 8, layers: 2, rng: new Rng(8));
        Tensor x = GradCheck.Random(9, 6, 2, 2);
        using var _ = Tensor.NoGrad();
        SequenceOutput whole = lstm.Run(x);
        SequenceOutput first = lstm.Run(Ops.Slice(x, 0, 0, 4));
        SequenceOutput rest = lstm.Run(Ops.Slice(x, 0, 4, 2), first.State);
        AssertClose(Ops.Slice(whole.Output, 0, 4, 2).ToArray(), rest.Output.ToArray());
        AssertClose(whole.State.Cell!.ToArray(), rest.State.Cell!.ToArray());
    }

    [Fact]
    public void BadShapesGetClearErrors()
    {
        var gru = new Gru(4, 8);
        Assert.Contains("expected [steps, batch, 4]", Assert.Throws<ArgumentException>(() => gru.Run(Tensor.Zeros(3, 2, 5))).Message);
        Assert.Contains("expected [1, 2, 8]", Assert.Throws<ArgumentException>(() => gru.Run(Tensor.Zeros(3, 2, 4), new RecurrentState(Tensor.Zeros(1, 3, 8), null))).Message);
        Assert.Contains("length of 4 is outside 0..3", Assert.Throws<ArgumentException>(() => gru.Run(Tensor.Zeros(3, 2, 4), lengths: [4, 1])).Message);
    }

    [Fact]
    public void OrthogonalWeightsHaveOrthonormalColumns()
    {
        var w = Tensor.Zeros(12, 5);
        Init.Orthogonal(w, new Rng(10));
        for (int a = 0; a < 5; a++)
            for (int b = 0; b < 5; b++)
            {
                double dot = 0;
                for (int i = 0; i < 12; i++) dot += w.At(i, a) * w.At(i, b);
                Assert.Equal(a == b ? 1.0 : 0.0, dot, 5);
            }
    }

    [Fact]
    public void EmbeddingLooksUpRowsAndRejectsUnknownIds()
    {
        var embedding = new Embedding(5, 3, new Rng(11));
        Tensor ids = Tensor.FromArray([4, 0, 4], 1, 3);
        Tensor vectors = embedding.Forward(ids);
        Assert.Equal([1, 3, 3], vectors.Shape);
        Assert.Equal(embedding.Weight.Span.Slice(12, 3).ToArray(), vectors.Span.Slice(0, 3).ToArray());
        Ops.Sum(vectors).Backward();
        Assert.Equal(2f, embedding.Weight.Grad!.At(4, 1));
        Assert.Equal(0f, embedding.Weight.Grad!.At(2, 1));
        Assert.Contains("not a token id", Assert.Throws<ArgumentException>(() => embedding.Forward(Tensor.FromArray([5f], 1))).Message);
    }

    private static void AssertClose(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 5);
    }

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));
}
