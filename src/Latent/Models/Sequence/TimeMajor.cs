using Latent.Engine;

namespace Latent.Models.Sequence;

/// <summary>
/// Moves sequences between the two layouts of the sequence models: rows [rows, steps · width] (a row's step t is its
/// values t·width … t·width + width − 1, as users give windows and clips) and time-major [steps · rows, width] (step t of
/// row r is row t·rows + r, as the recurrent layers read them). Copies, outside any graph.
/// </summary>
internal static class TimeMajor
{
    /// <summary>Steps <paramref name="first"/> … first + count − 1 of every row, time-major: [count · rows, width].</summary>
    public static Tensor FromRows(Tensor rows, int width, int first, int count)
    {
        int n = rows.Dim(0), length = rows.Dim(1);
        var steps = Tensor.Zeros(count * n, width);
        ReadOnlySpan<float> source = rows.Span;
        Span<float> target = steps.Span;
        for (int t = 0; t < count; t++)
            for (int r = 0; r < n; r++)
                source.Slice(r * length + (first + t) * width, width).CopyTo(target.Slice((t * n + r) * width, width));
        return steps;
    }

    /// <summary>Time-major steps [count · rows, width] as rows [rows, count · width].</summary>
    public static Tensor ToRows(Tensor steps, int count, int rows)
    {
        int width = steps.Dim(1);
        var result = Tensor.Zeros(rows, count * width);
        ReadOnlySpan<float> source = steps.Span;
        Span<float> target = result.Span;
        for (int t = 0; t < count; t++)
            for (int r = 0; r < rows; r++)
                source.Slice((t * rows + r) * width, width).CopyTo(target.Slice((r * count + t) * width, width));
        return result;
    }
}
