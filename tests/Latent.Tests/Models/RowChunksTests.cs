using Latent.Engine;
using Latent.Models;

namespace Latent.Tests.Models;

public class RowChunksTests
{
    [Fact]
    public void ChunksAreStitchedInOrderAndEachKnowsItsFirstRow()
    {
        using var data = Tensor.FromArray([.. Enumerable.Range(0, 10).Select(i => (float)i)], 10, 1);
        // Each output row: [value, index of its chunk's first row]; chunks of 3 start at 0, 3, 6, 9.
        using Tensor result = RowChunks.Map(data, 2, 3, (rows, start) =>
        {
            var output = Tensor.Zeros(rows.Dim(0), 2);
            for (int i = 0; i < rows.Dim(0); i++) (output.Span[2 * i], output.Span[2 * i + 1]) = (rows.Span[i], start);
            return output;
        });
        float[] expected = [.. Enumerable.Range(0, 10).SelectMany(i => new float[] { i, i / 3 * 3 })];
        Assert.Equal(expected, result.ToArray());
    }
}
