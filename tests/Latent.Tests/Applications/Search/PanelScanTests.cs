using System.Runtime.Intrinsics;
using Latent.Applications.Search;
using Latent.Engine.Kernels.Simd;

namespace Latent.Tests.Applications.Search;

/// <summary>
/// The scan loop at each vector width, whatever this CPU accelerates (an unaccelerated width runs in software): each
/// code's sum is one FMA chain over its values, so every width must give the scores of a scalar chain bit for bit.
/// </summary>
public class PanelScanTests
{
    [Theory]
    [InlineData(DistanceMetric.Euclidean, 13)]
    [InlineData(DistanceMetric.Cosine, 13)]
    [InlineData(DistanceMetric.Euclidean, 32)]
    [InlineData(DistanceMetric.Cosine, 5)]
    public void EveryWidthGivesTheScoresOfAScalarChain(DistanceMetric metric, int dim)
    {
        const int rows = 203, k = 7;   // the last panel is partly empty: NaN slots that no heap may keep
        float[] data = SearchTestData.Gaussian(rows, dim, seed: 1), queries = SearchTestData.Gaussian(PanelScan.QueryBlock, dim, seed: 2);
        var codes = new CodePanels(dim);
        for (int r = 0; r < rows; r++) codes.Add(data.AsSpan(r * dim, dim));
        if (metric == DistanceMetric.Cosine)
            for (int q = 0; q < PanelScan.QueryBlock; q++) HnswGraph.Normalise(queries.AsSpan(q * dim, dim));

        var expected = new (float Score, int Slot)[PanelScan.QueryBlock][];
        for (int q = 0; q < PanelScan.QueryBlock; q++)
        {
            var all = new (float Score, int Slot)[rows];
            for (int r = 0; r < rows; r++)
            {
                float sum = 0;
                for (int j = 0; j < dim; j++)
                {
                    float x = data[r * dim + j], y = queries[q * dim + j];
                    sum = metric == DistanceMetric.Euclidean ? MathF.FusedMultiplyAdd(x - y, x - y, sum) : MathF.FusedMultiplyAdd(x, y, sum);
                }
                all[r] = (metric == DistanceMetric.Euclidean ? sum : -(sum * codes.InverseNorms[r]), r);
            }
            expected[q] = [.. all.OrderBy(a => a.Score).ThenBy(a => a.Slot).Take(k)];
        }

        foreach (var scan in new Func<CodePanels, float[], TopK[]>[]
        {
            (c, q) => Scan<Vector512Width, Vector512<float>>(metric, c, q, k),
            (c, q) => Scan<Vector256Width, Vector256<float>>(metric, c, q, k),
            (c, q) => Scan<ScalarWidth, float>(metric, c, q, k),
        })
        {
            TopK[] heaps = scan(codes, queries);
            for (int q = 0; q < PanelScan.QueryBlock; q++) Assert.Equal(expected[q], heaps[q].Sorted());
        }
    }

    private static TopK[] Scan<TWidth, TVector>(DistanceMetric metric, CodePanels codes, float[] queries, int k)
        where TWidth : struct, IVectorWidth<TVector> where TVector : struct
    {
        TopK[] heaps = [.. Enumerable.Range(0, PanelScan.QueryBlock).Select(_ => new TopK(k))];
        if (metric == DistanceMetric.Euclidean) PanelScan.Scan<SquaredEuclideanScan, TWidth, TVector>(codes, queries, 0, codes.Panels, heaps);
        else PanelScan.Scan<NegativeCosineScan, TWidth, TVector>(codes, queries, 0, codes.Panels, heaps);
        return heaps;
    }
}
