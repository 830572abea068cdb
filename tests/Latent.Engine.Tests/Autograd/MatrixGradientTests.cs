using Latent.Engine;

namespace Latent.Engine.Tests.Autograd;

public class MatrixGradientTests
{
    public static TheoryData<int, int, int, bool, bool> Products()
    {
        var data = new TheoryData<int, int, int, bool, bool>();
        int[][] sizes = [[1, 1, 1], [3, 17, 5], [17, 3, 255], [2, 257, 3], [33, 9, 20]];
        foreach (int[] s in sizes)
            foreach (bool ta in new[] { false, true })
                foreach (bool tb in new[] { false, true })
                    data.Add(s[0], s[1], s[2], ta, tb);
        return data;
    }

    [Theory, MemberData(nameof(Products))]
    public void MatMul(int m, int k, int n, bool ta, bool tb)
    {
        var a = GradCheck.Random(1, ta ? [k, m] : [m, k]);
        var b = GradCheck.Random(2, tb ? [n, k] : [k, n]);
        GradCheck.Check(x => Ops.MatMul(x[0], x[1], ta, tb), [a, b]);
    }

    public static TheoryData<Activation, bool> LinearCases()
    {
        var data = new TheoryData<Activation, bool>();
        foreach (Activation act in Enum.GetValues<Activation>())
        {
            data.Add(act, true);
            data.Add(act, false);
        }
        return data;
    }

    [Theory, MemberData(nameof(LinearCases))]
    public void FusedLinear(Activation activation, bool withBias)
    {
        // Pre-activations of magnitude ≥ 0.05 avoid the kinks: a tiny bias shift is enough in practice,
        // and the relu-family checks sample few enough coordinates to stay clear of them.
        var x = GradCheck.Random(3, 17, 257);
        var w = GradCheck.Random(4, 3, 257);
        Tensor[] inputs = withBias ? [x, w, GradCheck.Random(5, -1f, 1f, 0.2f, 3)] : [x, w];
        GradCheck.Check(t => Ops.Linear(t[0], t[1], withBias ? t[2] : null, activation), inputs, samplesPerInput: 12);
    }

    [Fact]
    public void FusedLinearEqualsMatMulPlusBiasThenActivation()
    {
        var x = GradCheck.Random(6, 33, 70);
        var w = GradCheck.Random(7, 45, 70);
        var b = GradCheck.Random(8, 45);
        using (Tensor.NoGrad())
        {
            float[] fused = Ops.Linear(x, w, b, Activation.Tanh).ToArray();
            float[] plain = Ops.Tanh(Ops.MatMul(x, w, transposeB: true) + b).ToArray();
            for (int i = 0; i < fused.Length; i++) Assert.Equal(plain[i], fused[i], 1e-5f);
        }
    }

    [Fact]
    public void MatMulMismatchNamesBothShapes()
    {
        var e = Assert.Throws<ArgumentException>(() => Ops.MatMul(Tensor.Zeros(3, 4), Tensor.Zeros(5, 6)));
        Assert.Contains("[3, 4]", e.Message);
        Assert.Contains("[5, 6]", e.Message);
    }
}
