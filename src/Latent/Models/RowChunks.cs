using Latent.Engine;

namespace Latent.Models;

/// <summary>Inference over many rows in bounded memory: a forward pass per chunk of rows, without a graph, stitched together.</summary>
internal static class RowChunks
{
    /// <summary>forward(data) as [rows, <paramref name="width"/>], computed <paramref name="chunk"/> rows at a time (all at once when they fit).</summary>
    public static Tensor Map(Tensor data, int width, int chunk, Func<Tensor, Tensor> forward) =>
        Map(data, width, chunk, (rows, _) => forward(rows));

    /// <summary>As above, with the index of each chunk's first row passed along (to pick matching per-row inputs such as labels).</summary>
    public static Tensor Map(Tensor data, int width, int chunk, Func<Tensor, int, Tensor> forward) => Map(data, width, chunk, forward, null, default);

    /// <summary>
    /// As above, checking <paramref name="cancel"/> before each chunk and telling <paramref name="progress"/> the rows done
    /// after it. A cancellation throws <see cref="OperationCanceledException"/>.
    /// </summary>
    public static Tensor Map(Tensor data, int width, int chunk, Func<Tensor, int, Tensor> forward, IProgress<int>? progress, CancellationToken cancel)
    {
        using var _ = Tensor.NoGrad();
        cancel.ThrowIfCancellationRequested();
        int rows = data.Dim(0);
        if (rows <= chunk)
        {
            Tensor all = forward(data, 0);
            progress?.Report(rows);
            return all;
        }
        var result = Tensor.Zeros(rows, width);
        var indices = new int[chunk];
        for (int start = 0; start < rows; start += chunk)
        {
            if (cancel.IsCancellationRequested)
            {
                result.Dispose();
                cancel.ThrowIfCancellationRequested();
            }
            int n = Math.Min(chunk, rows - start);
            for (int i = 0; i < n; i++) indices[i] = start + i;
            using Tensor part = Ops.SelectRows(data, indices.AsSpan(0, n));
            using Tensor output = forward(part, start);
            output.Span.CopyTo(result.Span.Slice(start * width, n * width));
            progress?.Report(start + n);
        }
        return result;
    }
}
