using Latent.Engine.Losses;

namespace Latent.Engine.Tests.Nn;

public class PixelLossTests
{
    private const int Batch = 2, Classes = 4, Height = 3, Width = 5;

    /// <summary>Per-pixel distributions over the classes (positive, summing to 1), the layout of the logits.</summary>
    private static Tensor SoftTargets(ulong seed)
    {
        Tensor t = Tensor.Uniform(new Rng(seed), 0.05f, 1f, Batch, Classes, Height, Width);
        Span<float> s = t.Span;
        int plane = Height * Width;
        for (int n = 0; n < Batch; n++)
            for (int p = 0; p < plane; p++)
            {
                float sum = 0;
                for (int c = 0; c < Classes; c++) sum += s[(n * Classes + c) * plane + p];
                for (int c = 0; c < Classes; c++) s[(n * Classes + c) * plane + p] /= sum;
            }
        return t;
    }

    private static Tensor OneHot(int[] labels)
    {
        int plane = Height * Width;
        var t = Tensor.Zeros(Batch, Classes, Height, Width);
        for (int n = 0; n < Batch; n++)
            for (int p = 0; p < plane; p++) t.Span[(n * Classes + labels[n * plane + p]) * plane + p] = 1;
        return t;
    }

    private static int[] Labels(ulong seed)
    {
        var rng = new Rng(seed);
        return [.. Enumerable.Range(0, Batch * Height * Width).Select(_ => rng.NextInt(Classes))];
    }

    [Fact]
    public void CrossEntropyGradientMatchesFiniteDifferences()
    {
        Tensor targets = SoftTargets(1);
        Tensor weights = Tensor.Uniform(new Rng(2), 0.5f, 2f, Batch, Height, Width);
        GradCheck.Check(x => PixelLoss.CrossEntropy(x[0], targets, weights), [GradCheck.Random(3, Batch, Classes, Height, Width)], samplesPerInput: 40);
    }

    [Fact]
    public void DiceGradientMatchesFiniteDifferences()
    {
        Tensor targets = OneHot(Labels(4));
        GradCheck.Check(x => PixelLoss.Dice(x[0], targets) * 10f, [GradCheck.Random(5, Batch, Classes, Height, Width)], samplesPerInput: 40);
    }

    [Fact]
    public void HardLabelsGiveTheCrossEntropyOfEachPixelsRow()
    {
        int[] labels = Labels(6);
        Tensor logits = GradCheck.Random(7, Batch, Classes, Height, Width);
        // The naive oracle: one row of class scores per pixel, through the row-wise cross-entropy.
        int plane = Height * Width;
        var rows = new float[Batch * plane * Classes];
        for (int n = 0; n < Batch; n++)
            for (int c = 0; c < Classes; c++)
                for (int p = 0; p < plane; p++) rows[(n * plane + p) * Classes + c] = logits.Span[(n * Classes + c) * plane + p];
        float expected = Loss.CrossEntropy(Tensor.FromArray(rows, Batch * plane, Classes), labels).Item();
        Assert.Equal(expected, PixelLoss.CrossEntropy(logits, OneHot(labels)).Item(), 5);
    }

    [Fact]
    public void DiceIsNearZeroForAConfidentCorrectPredictionAndCountsEachClassEqually()
    {
        int[] labels = Labels(8);
        Tensor targets = OneHot(labels);
        Assert.InRange(PixelLoss.Dice(targets * 40f, targets).Item(), -1e-6f, 1e-4f);
        // Uniform probabilities: Dice_c = (2·n_c/C + 1) / (N/C + n_c + 1) per class, N pixels, n_c of class c.
        int pixels = labels.Length;
        double expected = 1 - Enumerable.Range(0, Classes).Select(c =>
        {
            int count = labels.Count(l => l == c);
            return (2.0 * count / Classes + 1) / ((double)pixels / Classes + count + 1);
        }).Average();
        Assert.Equal(expected, PixelLoss.Dice(Tensor.Zeros(Batch, Classes, Height, Width), targets).Item(), 5);
    }

    [Fact]
    public void MismatchedShapesAreRefused()
    {
        Tensor logits = Tensor.Zeros(Batch, Classes, Height, Width);
        Assert.Throws<ArgumentException>(() => PixelLoss.CrossEntropy(logits, Tensor.Zeros(Batch, Classes, Height, Width + 1)));
        Assert.Throws<ArgumentException>(() => PixelLoss.CrossEntropy(logits, SoftTargets(1), Tensor.Zeros(Batch, Height)));
        Assert.Throws<ArgumentException>(() => PixelLoss.Dice(Tensor.Zeros(3, 4), Tensor.Zeros(3, 4)));
    }
}
