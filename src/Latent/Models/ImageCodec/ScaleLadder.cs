using Latent.Applications.Compression;

namespace Latent.Models;

/// <summary>
/// The scales a hyperprior codes latent values with: <see cref="Count"/> scales of a zero-mean logistic, spaced evenly in
/// log above <see cref="ImageCodecNetwork.MinScale"/> up to <see cref="MaxScale"/>, each with its coding table. A value
/// whose predicted scale is s is coded with the first scale of the ladder at least s (CompressAI's rule: a table too wide
/// costs a little, one too narrow costs escapes). The tables and the thresholds on the hyper synthesis' raw output are
/// computed once in double and saved with the codec, so that encoder and decoder use the same integers anywhere.
/// </summary>
internal static class ScaleLadder
{
    public const int Count = 48;
    private const double MaxScale = 64;

    /// <summary>Ladder scale i: the lowest is one step above the smallest scale the network predicts, the highest <see cref="MaxScale"/>.</summary>
    public static double Scale(int i) => ImageCodecNetwork.MinScale * Math.Pow(MaxScale / ImageCodecNetwork.MinScale, (i + 1.0) / Count);

    /// <summary>The tables and thresholds, computed once per process.</summary>
    public static (SymbolTable[] Tables, float[] Thresholds) Shared => LazyShared.Value;

    private static readonly Lazy<(SymbolTable[], float[])> LazyShared = new(() => (Tables(), Thresholds()));

    /// <summary>
    /// The raw hyper-synthesis output above which the predicted scale (<see cref="ImageCodecNetwork.Scales"/>) exceeds
    /// ladder scale i, for i = 0 … Count − 2: softplus⁻¹((scale − min) / gain).
    /// </summary>
    public static float[] Thresholds()
    {
        var thresholds = new float[Count - 1];
        for (int i = 0; i < thresholds.Length; i++)
        {
            double v = (Scale(i) - ImageCodecNetwork.MinScale) / ImageCodecNetwork.LatentGain;
            thresholds[i] = (float)(v > 30 ? v : Math.Log(Math.Exp(v) - 1));
        }
        return thresholds;
    }

    /// <summary>The ladder scale of a raw hyper-synthesis output: how many thresholds it exceeds.</summary>
    public static int Index(double raw, float[] thresholds)
    {
        int index = 0;
        while (index < thresholds.Length && raw > thresholds[index]) index++;
        return index;
    }

    /// <summary>The coding table of each ladder scale: the integers holding all but 10⁻⁶ of the mass on either side (at most ±885).</summary>
    public static SymbolTable[] Tables()
    {
        var tables = new SymbolTable[Count];
        for (int i = 0; i < Count; i++)
        {
            double s = Scale(i);
            int half = (int)Math.Ceiling(s * Math.Log((1 - ImageCodecModel.TailMass) / ImageCodecModel.TailMass) + 0.5);
            var probabilities = new double[2 * half + 1];
            for (int v = -half; v <= half; v++) probabilities[v + half] = Mass(v, s);
            tables[i] = SymbolTable.FromProbabilities(-half, probabilities);
        }
        return tables;
    }

    /// <summary>The mass a zero-mean logistic of scale s puts on [v − ½, v + ½] (computed on the side where it keeps its digits).</summary>
    public static double Mass(int v, double s)
    {
        double a = Math.Abs(v);
        return Sigmoid((0.5 - a) / s) - Sigmoid((-0.5 - a) / s);
    }

    private static double Sigmoid(double x) => x >= 0 ? 1 / (1 + Math.Exp(-x)) : Math.Exp(x) / (1 + Math.Exp(x));
}
