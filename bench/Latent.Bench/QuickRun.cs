using Latent.Engine;

namespace Latent.Bench;

/// <summary>
/// What <c>--quick</c> means for a benchmark with a reference script: both sides on the script's <c>--smoke</c> subset
/// (common.load_mnist keeps the first 2048 training and the first 1000 test images) for the same few epochs. It checks
/// that a benchmark runs; its figures are not comparable with full runs or published numbers, and say so.
/// </summary>
internal static class QuickRun
{
    public const int TrainRows = 2048, TestRows = 1000;

    /// <summary>The reference scripts' flag for the same subset.</summary>
    public const string ReferenceFlag = "--smoke";

    /// <summary>Appended to the result line of a quick run.</summary>
    public const string Marker = " [quick run on 2048 training / 1000 test images: not comparable]";

    /// <summary>The first <paramref name="count"/> rows (a copy).</summary>
    public static Tensor First(Tensor rows, int count) => Ops.SelectRows(rows, [.. Enumerable.Range(0, Math.Min(count, rows.Dim(0)))]);
}
