using Latent.Engine;

namespace Latent.Engine.Tests.Autograd;

public class StructureGradientTests
{
    [Theory]
    [InlineData(0, false)]
    [InlineData(1, false)]
    [InlineData(1, true)]
    [InlineData(2, true)]
    [InlineData(-1, false)]
    public void SumAlongAxis(int axis, bool keepDim) =>
        GradCheck.Check(x => Ops.Sum(x[0], axis, keepDim), [GradCheck.Random(1, 3, 17, 5)]);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void MeanAlongAxis(int axis) => GradCheck.Check(x => Ops.Mean(x[0], axis), [GradCheck.Random(2, 255, 3)]);

    [Fact]
    public void SumAndMeanOfEverything()
    {
        GradCheck.Check(x => Ops.Sum(x[0]), [GradCheck.Random(3, 17, 257)]);
        GradCheck.Check(x => Ops.Mean(x[0]), [GradCheck.Random(4, 1, 3)]);
    }

    [Fact]
    public void Reshape()
    {
        GradCheck.Check(x => Ops.Reshape(x[0], 17, -1) * Ops.Reshape(x[0], 17, 3), [GradCheck.Random(5, 3, 17)]);
        Assert.Throws<ArgumentException>(() => Tensor.Zeros(3, 4).Reshape(5, 2));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(-1)]
    public void Concat(int axis)
    {
        int[] shapeB = axis == 0 ? [4, 3] : [3, 5];
        GradCheck.Check(x => Ops.Concat([x[0], x[1], x[0]], axis), [GradCheck.Random(6, 3, 3), GradCheck.Random(7, shapeB)]);
    }

    [Fact]
    public void ConcatForwardPlacesBlocks()
    {
        var a = Tensor.FromArray([1, 2, 3, 4], 2, 2);
        var b = Tensor.FromArray([5, 6], 2, 1);
        Assert.Equal([1, 2, 5, 3, 4, 6], Ops.Concat([a, b], 1).ToArray());
        Assert.Throws<ArgumentException>(() => Ops.Concat([a, b], 0));
    }

    [Theory]
    [InlineData(0, 1, 2)]
    [InlineData(1, 0, 1)]
    [InlineData(1, 250, 7)]
    public void Slice(int axis, int start, int length) =>
        GradCheck.Check(x => Ops.Slice(x[0], axis, start, length), [GradCheck.Random(8, 3, 257)]);

    [Fact]
    public void SliceOutOfRangeIsRefused() =>
        Assert.Throws<ArgumentException>(() => Ops.Slice(Tensor.Zeros(3, 4), 1, 2, 3));

    [Fact]
    public void SelectRowsWithRepeats()
    {
        int[] rows = [2, 0, 2, 16];
        GradCheck.Check(x => Ops.SelectRows(x[0], rows), [GradCheck.Random(9, 17, 3)]);
        Assert.Throws<ArgumentException>(() => Ops.SelectRows(Tensor.Zeros(3, 2), [3]));
    }
}
