using Latent.Imaging;

namespace Latent.Applications.Colorization;

/// <summary>
/// The quantised colours of Zhang, Isola and Efros (2016, "Colorful Image Colorization"): the (a, b) plane of Lab cut into
/// square cells of <see cref="GridSize"/> units, keeping the cells that some sRGB colour falls in (261 at grid 10; Zhang et al.'s
/// looser gamut test keeps 313). A
/// pixel's colour becomes a distribution over these bins (<see cref="SoftEncode"/>: its nearest bins, Gaussian-weighted),
/// rare bins get larger loss weights (<see cref="RebalancingWeights"/>), and a predicted distribution becomes a colour by
/// its annealed mean (<see cref="AnnealedMean"/>), which keeps the vividness a plain mean washes out.
/// </summary>
internal sealed class AbBins
{
    private const int Extent = 120;   // |a|, |b| of every sRGB colour are below 110; the grid covers ±Extent

    private readonly int _cells;       // cells per axis of the lookup grid
    private readonly int[] _binOfCell; // cell → bin, −1 when no sRGB colour falls in it

    private AbBins(int gridSize, float[] centres)
    {
        GridSize = gridSize;
        Centres = centres;
        _cells = 2 * Extent / gridSize + 1;
        _binOfCell = new int[_cells * _cells];
        Array.Fill(_binOfCell, -1);
        for (int q = 0; q < Count; q++) _binOfCell[Cell(centres[2 * q]) * _cells + Cell(centres[2 * q + 1])] = q;
    }

    /// <summary>Side of a bin in Lab units.</summary>
    public int GridSize { get; }

    /// <summary>(a, b) of each bin's centre, interleaved: [a₀, b₀, a₁, b₁, …].</summary>
    public float[] Centres { get; }

    /// <summary>Number of bins.</summary>
    public int Count => Centres.Length / 2;

    /// <summary>The bins of sRGB's gamut at <paramref name="gridSize"/>, found by converting a dense sample of the RGB cube.</summary>
    public static AbBins InGamut(int gridSize)
    {
        if (gridSize < 2 || gridSize > 40) throw new ArgumentException($"The ab grid size must be between 2 and 40 Lab units, not {gridSize}.");
        const int steps = 64;   // 64³ colours: 256³ finds the same 261 cells at grid 10
        int cells = 2 * Extent / gridSize + 1;
        var hit = new bool[cells * cells];
        var rgb = new float[3 * steps * steps];
        var lab = new float[rgb.Length];
        int pixels = steps * steps;
        for (int r = 0; r < steps; r++)
        {
            for (int g = 0; g < steps; g++)
                for (int b = 0; b < steps; b++)
                {
                    int i = g * steps + b;
                    (rgb[i], rgb[pixels + i], rgb[2 * pixels + i]) = (r / (steps - 1f), g / (steps - 1f), b / (steps - 1f));
                }
            ColorSpaces.RgbToLab(rgb, lab, pixels);
            for (int i = 0; i < pixels; i++) hit[CellOf(lab[pixels + i], gridSize) * cells + CellOf(lab[2 * pixels + i], gridSize)] = true;
        }
        var centres = new List<float>();
        for (int ca = 0; ca < cells; ca++)
            for (int cb = 0; cb < cells; cb++)
                if (hit[ca * cells + cb]) centres.AddRange([ca * gridSize - Extent, cb * gridSize - Extent]);
        return new AbBins(gridSize, [.. centres]);
    }

    /// <summary>Bins with the given centres (as stored in a model file).</summary>
    /// <exception cref="InvalidDataException">Centres that are not on the grid.</exception>
    public static AbBins FromCentres(int gridSize, float[] centres)
    {
        if (gridSize < 2 || gridSize > 40 || centres.Length == 0 || centres.Length % 2 != 0
            || centres.Any(c => !float.IsFinite(c) || Math.Abs(c) > Extent || (c + Extent) % gridSize != 0))
            throw new InvalidDataException("The colour bins stored with the colorizer are not on its grid.");
        return new AbBins(gridSize, centres);
    }

    private static int CellOf(float v, int gridSize) => (int)MathF.Round((Math.Clamp(v, -Extent, Extent) + Extent) / gridSize);

    private int Cell(float v) => CellOf(v, GridSize);

    /// <summary>
    /// Writes each pixel's colour as weights over its <paramref name="neighbours"/> nearest bins, exp(−d²/2σ²) normalised
    /// (Zhang et al.: 5 neighbours, σ = 5), into <paramref name="targets"/> (one plane of <paramref name="pixels"/> per bin,
    /// cleared here), and returns in <paramref name="nearest"/> each pixel's nearest bin.
    /// </summary>
    /// <param name="ab">a plane then b plane of <paramref name="pixels"/> values, in Lab units.</param>
    public void SoftEncode(ReadOnlySpan<float> ab, int pixels, int neighbours, float sigma, Span<float> targets, Span<int> nearest)
    {
        targets[..(Count * pixels)].Clear();
        Span<int> bins = stackalloc int[neighbours];
        Span<float> distances = stackalloc float[neighbours];
        for (int p = 0; p < pixels; p++)
        {
            int found = FindNearest(ab[p], ab[pixels + p], bins, distances);
            float sum = 0;
            for (int k = 0; k < found; k++) sum += distances[k] = MathF.Exp(-distances[k] / (2 * sigma * sigma));
            for (int k = 0; k < found; k++) targets[bins[k] * pixels + p] = distances[k] / sum;
            nearest[p] = bins[0];
        }
    }

    /// <summary>The bin nearest to (a, b).</summary>
    public int Nearest(float a, float b)
    {
        Span<int> bin = stackalloc int[1];
        Span<float> distance = stackalloc float[1];
        FindNearest(a, b, bin, distance);
        return bin[0];
    }

    /// <summary>The <c>bins.Length</c> (or all, when fewer) bins nearest to (a, b), closest first, with their squared distances.</summary>
    private int FindNearest(float a, float b, Span<int> bins, Span<float> distances)
    {
        int found = 0, ca = Cell(a), cb = Cell(b);
        int reach = (int)Math.Ceiling(Math.Sqrt(bins.Length) / 2) + 1;   // cells around the pixel's own that hold its neighbours
        for (int i = Math.Max(0, ca - reach); i <= Math.Min(_cells - 1, ca + reach); i++)
            for (int j = Math.Max(0, cb - reach); j <= Math.Min(_cells - 1, cb + reach); j++)
                if (_binOfCell[i * _cells + j] is var q and >= 0) Insert(q, Distance(q, a, b), bins, distances, ref found);
        if (found < Math.Min(bins.Length, Count))   // far outside the gamut (not an sRGB colour): search every bin
        {
            found = 0;
            for (int q = 0; q < Count; q++) Insert(q, Distance(q, a, b), bins, distances, ref found);
        }
        return found;
    }

    private float Distance(int q, float a, float b)
    {
        float da = Centres[2 * q] - a, db = Centres[2 * q + 1] - b;
        return da * da + db * db;
    }

    /// <summary>Keeps the closest <c>bins.Length</c> candidates, sorted by distance.</summary>
    private static void Insert(int q, float distance, Span<int> bins, Span<float> distances, ref int found)
    {
        int at = found < bins.Length ? found++ : bins.Length;
        while (at > 0 && distances[at - 1] > distance)
        {
            if (at < bins.Length) (bins[at], distances[at]) = (bins[at - 1], distances[at - 1]);
            at--;
        }
        if (at < bins.Length) (bins[at], distances[at]) = (q, distance);
    }

    /// <summary>
    /// Zhang et al.'s class rebalancing: the empirical distribution p of nearest bins in <paramref name="counts"/>, smoothed by
    /// a Gaussian of σ = 5 over the ab plane, mixed with the uniform one by <paramref name="lambda"/>; the weight of bin q is
    /// 1 / ((1 − λ)·p̃_q + λ/Q), scaled so that the expected weight under p̃ is 1.
    /// </summary>
    public float[] RebalancingWeights(ReadOnlySpan<long> counts, float lambda, float sigma = 5)
    {
        double total = 0;
        foreach (long c in counts) total += c;
        var smoothed = new double[Count];
        for (int q = 0; q < Count; q++)
        {
            double s = 0, norm = 0;
            for (int r = 0; r < Count; r++)
            {
                double k = Math.Exp(-Distance(r, Centres[2 * q], Centres[2 * q + 1]) / (2.0 * sigma * sigma));
                s += k * (total == 0 ? 0 : counts[r] / total);
                norm += k;
            }
            smoothed[q] = s / norm;
        }
        double sum = smoothed.Sum();
        var weights = new float[Count];
        double expected = 0;
        for (int q = 0; q < Count; q++)
        {
            double p = sum == 0 ? 1.0 / Count : smoothed[q] / sum;
            weights[q] = (float)(1 / ((1 - lambda) * p + lambda / Count));
            expected += p * weights[q];
        }
        for (int q = 0; q < Count; q++) weights[q] = (float)(weights[q] / expected);
        return weights;
    }

    /// <summary>
    /// The colour of each pixel from its logits over the bins (one plane of <paramref name="pixels"/> per bin): the mean
    /// of the bin centres under softmax(logits / T), T = <paramref name="temperature"/> (Zhang et al.: 0.38; 1 is the
    /// mean, → 0 the mode). Writes an a plane then a b plane into <paramref name="ab"/>.
    /// </summary>
    public void AnnealedMean(ReadOnlySpan<float> logits, int pixels, float temperature, Span<float> ab)
    {
        for (int p = 0; p < pixels; p++)
        {
            float max = float.NegativeInfinity;
            for (int q = 0; q < Count; q++) max = Math.Max(max, logits[q * pixels + p]);
            double sum = 0, a = 0, b = 0;
            for (int q = 0; q < Count; q++)
            {
                double w = Math.Exp((logits[q * pixels + p] - max) / temperature);
                sum += w;
                a += w * Centres[2 * q];
                b += w * Centres[2 * q + 1];
            }
            ab[p] = (float)(a / sum);
            ab[pixels + p] = (float)(b / sum);
        }
    }
}
