using Latent.Engine;

namespace Latent.Applications.Imputation;

/// <summary>
/// The <see cref="Imputer"/>'s nearest-neighbour member: every unknown cell estimated as the mean of that column over the
/// k nearest donor rows that know it (<see cref="NeighbourImputation"/>, scikit-learn's KNNImputer). The donors are
/// training rows, kept in the model file. Values are in the imputer's scaled units.
/// </summary>
internal sealed class NeighbourMember
{
    public NeighbourMember(Tensor donors, int neighbours, IReadOnlyList<float> fill)
    {
        Donors = donors;
        Neighbours = neighbours;
        Fill = fill;
    }

    /// <summary>The donor rows [rows, width], scaled, NaN where unknown.</summary>
    public Tensor Donors { get; }

    public int Neighbours { get; }

    /// <summary>Each column's value when no donor knows it.</summary>
    public IReadOnlyList<float> Fill { get; }

    /// <summary>The rows of <paramref name="scaled"/> that know something, at most <paramref name="max"/> of them (a seeded sample, in row order), as donors.</summary>
    public static NeighbourMember Fit(Tensor scaled, int neighbours, int max, IReadOnlyList<float> fill, Rng rng)
    {
        int width = scaled.Dim(1);
        ReadOnlySpan<float> x = scaled.Span;
        var rows = new List<int>();
        for (int r = 0; r < scaled.Dim(0); r++)
        {
            foreach (float v in x.Slice(r * width, width))
            {
                if (float.IsNaN(v)) continue;
                rows.Add(r);
                break;
            }
        }
        int[] chosen = [.. rows];
        if (chosen.Length > max)
        {
            rng.Shuffle(chosen);
            chosen = chosen[..max];
            Array.Sort(chosen);
        }
        return new NeighbourMember(Ops.SelectRows(scaled, chosen), neighbours, fill);
    }

    /// <summary>Every unknown cell of <paramref name="rows"/> (scaled, NaN = unknown) estimated; known cells copied.</summary>
    public Tensor Impute(Tensor rows) => NeighbourImputation.Impute(rows, Donors, Neighbours, Fill);
}
