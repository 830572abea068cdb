namespace Latent.Applications.Segmentation;

/// <summary>
/// How well predicted masks match true ones, per class: intersection over union |P ∩ T| / |P ∪ T| (Jaccard) and Dice
/// 2|P ∩ T| / (|P| + |T|), over all pixels of all images; a class absent from both scores NaN (nothing to match) and is
/// left out of the means.
/// </summary>
public sealed record MaskMetrics(double[] IoU, double[] Dice, double PixelAccuracy)
{
    /// <summary>Mean IoU over the classes present in the truth or the prediction.</summary>
    public double MeanIoU => Mean(IoU);

    /// <summary>Mean Dice over the classes present in the truth or the prediction.</summary>
    public double MeanDice => Mean(Dice);

    /// <summary>Mean IoU of the classes other than 0 (the foreground, when 0 is the background).</summary>
    public double ForegroundIoU => Mean(IoU[1..]);

    private static double Mean(double[] values)
    {
        double[] present = [.. values.Where(v => !double.IsNaN(v))];
        return present.Length == 0 ? double.NaN : present.Average();
    }

    /// <summary>Compares class ids pixel by pixel.</summary>
    /// <exception cref="ArgumentException">The masks differ in length, or an id is outside 0 … classes − 1.</exception>
    public static MaskMetrics Of(ReadOnlySpan<int> truth, ReadOnlySpan<int> predicted, int classes)
    {
        if (truth.Length != predicted.Length)
            throw new ArgumentException($"The true masks have {truth.Length} pixels but the predicted ones {predicted.Length}.");
        if (classes < 1) throw new ArgumentException($"There must be at least one class, not {classes}.");
        var inTruth = new long[classes];
        var inPrediction = new long[classes];
        var both = new long[classes];
        for (int i = 0; i < truth.Length; i++)
        {
            int t = truth[i], p = predicted[i];
            if ((uint)t >= (uint)classes || (uint)p >= (uint)classes)
                throw new ArgumentException($"Pixel {i} has class {((uint)t >= (uint)classes ? t : p)}, outside 0 to {classes - 1}.");
            inTruth[t]++;
            inPrediction[p]++;
            if (t == p) both[t]++;
        }
        var iou = new double[classes];
        var dice = new double[classes];
        for (int c = 0; c < classes; c++)
        {
            long union = inTruth[c] + inPrediction[c] - both[c];
            iou[c] = union == 0 ? double.NaN : (double)both[c] / union;
            dice[c] = union == 0 ? double.NaN : 2.0 * both[c] / (inTruth[c] + inPrediction[c]);
        }
        return new MaskMetrics(iou, dice, truth.Length == 0 ? double.NaN : (double)both.Sum() / truth.Length);
    }
}
