using Latent.Engine;
using Latent.Reporting;

namespace Latent.Applications.AnomalyDetection;

/// <summary>Cuts a series [steps, columns] into windows: rows of <c>window × columns</c> values, time-major.</summary>
internal static class SlidingWindows
{
    /// <summary>The windows starting at 0, stride, 2·stride, … that fit in the series: [count, window × columns].</summary>
    /// <exception cref="ArgumentException">The series is shorter than one window.</exception>
    public static Tensor Gather(Tensor series, int window, int stride)
    {
        int steps = series.Dim(0), columns = series.Dim(1);
        if (steps < window) throw new ArgumentException($"The series has {Counted.Of(steps, "row")}, fewer than the window of {window}.");
        int count = (steps - window) / stride + 1, width = window * columns;
        var result = Tensor.Zeros(count, width);
        ReadOnlySpan<float> x = series.Span;
        for (int i = 0; i < count; i++) x.Slice(i * stride * columns, width).CopyTo(result.Span.Slice(i * width, width));
        return result;
    }
}
