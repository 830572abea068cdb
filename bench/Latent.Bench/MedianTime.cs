using System.Diagnostics;

namespace Latent.Bench;

/// <summary>
/// The search benchmark's timing rule, the same as its Python peer's: one untimed warm-up call, then
/// <c>repeats</c> timed calls, and the median of their wall times (the mean of the middle two for an even count).
/// </summary>
internal static class MedianTime
{
    /// <summary>The median seconds of <paramref name="repeats"/> calls of <paramref name="run"/>, and the last call's result.</summary>
    public static (double Seconds, T Result) Measure<T>(Action warmUp, Func<T> run, int repeats)
    {
        warmUp();
        var seconds = new double[repeats];
        T result = default!;
        for (int i = 0; i < repeats; i++)
        {
            long start = Stopwatch.GetTimestamp();
            result = run();
            seconds[i] = Stopwatch.GetElapsedTime(start).TotalSeconds;
        }
        return (MedianRule.Of(seconds), result);
    }
}
