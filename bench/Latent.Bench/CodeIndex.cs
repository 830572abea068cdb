using System.Globalization;
using Latent.Applications.Search;
using Latent.Engine;
using Latent.Models;
using Latent.Storage;

namespace Latent.Bench;

/// <summary>
/// In-memory <see cref="LatentIndex"/>es over codes the benchmark already has (raw pixels, PCA codes, synthetic codes),
/// with row numbers as ids. An index needs its encoder only to encode items and for its fingerprint; codes added with
/// <see cref="LatentIndex.AddCodes"/> bypass it, so a placeholder of the right code size serves.
/// </summary>
internal static class CodeIndex
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>An index holding <paramref name="codes"/> [rows, size], row r under the id "r".</summary>
    public static LatentIndex Create(Tensor codes, LatentIndexOptions options)
    {
        int size = codes.Dim(1);
        var placeholder = new DenseAutoencoder(new DenseAutoencoderConfig { Inputs = size, Hidden = [], CodeSize = size });
        var index = LatentIndex.Create(new MemoryLatentStore(), placeholder, options);
        index.AddCodes([.. Enumerable.Range(0, codes.Dim(0)).Select(i => i.ToString(Inv))], codes);
        return index;
    }

    /// <summary>The row numbers of each query's hits, nearest first.</summary>
    public static int[][] Rows(IReadOnlyList<SearchHit>[] hits) => [.. hits.Select(h => h.Select(x => int.Parse(x.Id, Inv)).ToArray())];

    /// <summary>The first <paramref name="count"/> rows of <paramref name="rows"/>.</summary>
    public static Tensor First(Tensor rows, int count) => Ops.SelectRows(rows, [.. Enumerable.Range(0, Math.Min(count, rows.Dim(0)))]);
}
