using Latent.Engine;

namespace Latent.Engine.Tests.Autograd;

public class BroadcastGradientTests
{
    // Pairs of shapes that broadcast: equal, bias row, column, scalar, and a 3-D case.
    public static TheoryData<int[], int[]> Pairs => new()
    {
        { [3, 17], [3, 17] },
        { [255, 3], [3] },
        { [17, 257], [1, 257] },
        { [17, 3], [17, 1] },
        { [3, 17], [] },
        { [1], [3, 17] },
        { [2, 3, 5], [3, 1] },
        { [2, 1, 5], [3, 5] },
    };

    [Theory, MemberData(nameof(Pairs))]
    public void Add(int[] a, int[] b) => GradCheck.Check(x => x[0] + x[1], [GradCheck.Random(1, a), GradCheck.Random(2, b)]);

    [Theory, MemberData(nameof(Pairs))]
    public void Subtract(int[] a, int[] b) => GradCheck.Check(x => x[0] - x[1], [GradCheck.Random(3, a), GradCheck.Random(4, b)]);

    [Theory, MemberData(nameof(Pairs))]
    public void Multiply(int[] a, int[] b) => GradCheck.Check(x => x[0] * x[1], [GradCheck.Random(5, a), GradCheck.Random(6, b)]);

    [Theory, MemberData(nameof(Pairs))]
    public void Divide(int[] a, int[] b) =>
        GradCheck.Check(x => x[0] / x[1], [GradCheck.Random(7, a), GradCheck.Random(8, 0.5f, 2f, 0f, b)]);

    [Fact]
    public void ForwardMatchesNaiveBroadcasting()
    {
        var a = GradCheck.Random(9, 2, 3, 4);
        var b = GradCheck.Random(10, 3, 1);
        using (Tensor.NoGrad())
        {
            Tensor y = a * b;
            Assert.Equal([2, 3, 4], y.Shape);
            for (int i = 0; i < 2; i++)
                for (int j = 0; j < 3; j++)
                    for (int k = 0; k < 4; k++)
                        Assert.Equal(a.At(i, j, k) * b.At(j, 0), y.At(i, j, k));
        }
    }

    [Fact]
    public void MismatchedShapesNameBothShapes()
    {
        var e = Assert.Throws<ArgumentException>(() => Tensor.Zeros(3, 4) + Tensor.Zeros(5));
        Assert.Contains("[3, 4]", e.Message);
        Assert.Contains("[5]", e.Message);
    }

    [Fact]
    public void GradientsAccumulateWhenAnInputIsUsedTwice() =>
        GradCheck.Check(x => x[0] * x[0] + x[0], [GradCheck.Random(11, 3, 17)]);
}
