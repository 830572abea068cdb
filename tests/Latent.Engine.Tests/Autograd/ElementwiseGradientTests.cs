using Latent.Engine;

namespace Latent.Engine.Tests.Autograd;

public class ElementwiseGradientTests
{
    public static TheoryData<int, int> Shapes => new() { { 1, 1 }, { 3, 17 }, { 17, 3 }, { 1, 255 }, { 255, 3 }, { 2, 257 } };

    [Theory, MemberData(nameof(Shapes))]
    public void Exp(int r, int c) => GradCheck.Check(x => Ops.Exp(x[0]), [GradCheck.Random(1, r, c)]);

    [Theory, MemberData(nameof(Shapes))]
    public void Log(int r, int c) => GradCheck.Check(x => Ops.Log(x[0]), [GradCheck.Random(2, 0.5f, 2f, 0f, r, c)]);

    [Theory, MemberData(nameof(Shapes))]
    public void Sqrt(int r, int c) => GradCheck.Check(x => Ops.Sqrt(x[0]), [GradCheck.Random(3, 0.5f, 2f, 0f, r, c)]);

    [Theory, MemberData(nameof(Shapes))]
    public void PowSquare(int r, int c) => GradCheck.Check(x => Ops.Pow(x[0], 2f), [GradCheck.Random(4, r, c)]);

    [Theory, MemberData(nameof(Shapes))]
    public void PowFractional(int r, int c) => GradCheck.Check(x => Ops.Pow(x[0], -0.5f), [GradCheck.Random(5, 0.5f, 2f, 0f, r, c)]);

    [Theory, MemberData(nameof(Shapes))]
    public void Abs(int r, int c) => GradCheck.Check(x => Ops.Abs(x[0]), [GradCheck.Random(6, -1f, 1f, 0.05f, r, c)]);

    [Theory, MemberData(nameof(Shapes))]
    public void Clamp(int r, int c)
    {
        // Inputs in [-1, 1] kept away from the bounds ±0.5 by more than the finite-difference step.
        var x = GradCheck.Random(7, -1f, 1f, 0f, r, c);
        Span<float> s = x.Span;
        for (int i = 0; i < s.Length; i++)
            if (MathF.Abs(MathF.Abs(s[i]) - 0.5f) < 0.05f) s[i] *= 1.3f;
        GradCheck.Check(t => Ops.Clamp(t[0], -0.5f, 0.5f), [x]);
    }

    [Theory, MemberData(nameof(Shapes))]
    public void Relu(int r, int c) => GradCheck.Check(x => Ops.Relu(x[0]), [GradCheck.Random(8, -1f, 1f, 0.05f, r, c)]);

    [Theory, MemberData(nameof(Shapes))]
    public void LeakyRelu(int r, int c) => GradCheck.Check(x => Ops.LeakyRelu(x[0], 0.1f), [GradCheck.Random(9, -1f, 1f, 0.05f, r, c)]);

    [Theory, MemberData(nameof(Shapes))]
    public void Elu(int r, int c) => GradCheck.Check(x => Ops.Elu(x[0], 0.7f), [GradCheck.Random(10, -2f, 2f, 0.05f, r, c)]);

    [Theory, MemberData(nameof(Shapes))]
    public void Sigmoid(int r, int c) => GradCheck.Check(x => Ops.Sigmoid(x[0]), [GradCheck.Random(11, -3f, 3f, 0f, r, c)]);

    [Theory, MemberData(nameof(Shapes))]
    public void Tanh(int r, int c) => GradCheck.Check(x => Ops.Tanh(x[0]), [GradCheck.Random(12, -2f, 2f, 0f, r, c)]);

    [Theory, MemberData(nameof(Shapes))]
    public void Softplus(int r, int c) => GradCheck.Check(x => Ops.Softplus(x[0]), [GradCheck.Random(13, -4f, 4f, 0f, r, c)]);

    [Theory, MemberData(nameof(Shapes))]
    public void Softmax(int r, int c) => GradCheck.Check(x => Ops.Softmax(x[0]), [GradCheck.Random(14, -2f, 2f, 0f, r, c)]);

    [Theory, MemberData(nameof(Shapes))]
    public void LogSoftmax(int r, int c) => GradCheck.Check(x => Ops.LogSoftmax(x[0]), [GradCheck.Random(15, -2f, 2f, 0f, r, c)]);

    [Theory, MemberData(nameof(Shapes))]
    public void ScalarArithmetic(int r, int c) => GradCheck.Check(x => 2f - x[0] * 3f + 1f, [GradCheck.Random(16, r, c)]);

    [Fact]
    public void DropoutScalesSurvivorsAndPassesGradientThroughTheMask()
    {
        // A fresh generator per evaluation gives the same mask every time, as finite differences need.
        GradCheck.Check(x => Ops.Dropout(x[0], 0.3f, new Rng(99)), [GradCheck.Random(17, 17, 255)]);
        using (Tensor.NoGrad())
        {
            var x = Tensor.Ones(100, 100);
            float[] y = Ops.Dropout(x, 0.25f, new Rng(1)).ToArray();
            Assert.All(y, v => Assert.True(v == 0f || MathF.Abs(v - 4f / 3f) < 1e-6f));
            double dropped = y.Count(v => v == 0f) / 10000.0;
            Assert.InRange(dropped, 0.22, 0.28);
            Assert.Same(x, Ops.Dropout(x, 0.25f, new Rng(1), training: false));
        }
    }
}
