using System.Diagnostics;

namespace Latent.Engine.Diagnostics;

/// <summary>The kinds of work a training step's time is split into (as PyTorch's profiler groups its operators).</summary>
internal enum WorkKind { Gemm, Convolution, Elementwise, Loss, Optimizer }

/// <summary>
/// Where a step's time goes, for the benchmarks' per-step breakdown. While recording, the engine times its
/// kernels on the recording thread: a GEMM, convolution, loss or optimiser scope counts everything inside it
/// (a convolution's own GEMMs are convolution time, as oneDNN's are in PyTorch's profile); an element-wise
/// scope counts only its own time, not the GEMMs or convolutions it calls (a layer's backward node is
/// element-wise work around its GEMMs). What no scope covers is framework overhead. Off, a scope costs one
/// static read.
/// </summary>
internal static class StepProfiler
{
    private static readonly long[] Ticks = new long[Enum.GetValues<WorkKind>().Length];
    private static Thread? _recording;
    private static long _started;

    // The open scope on the recording thread: its kind, and the ticks its nested scopes took (to subtract).
    private static WorkKind? _open;
    private static long _nested;

    /// <summary>Starts recording the work of the calling thread; clears earlier totals.</summary>
    public static void Start()
    {
        Array.Clear(Ticks);
        _open = null;
        _nested = 0;
        _recording = Thread.CurrentThread;
        _started = Stopwatch.GetTimestamp();
    }

    /// <summary>Stops recording and returns the seconds of each kind and the total wall time since <see cref="Start"/>.</summary>
    public static StepBreakdown Stop()
    {
        long total = Stopwatch.GetTimestamp() - _started;
        _recording = null;
        return new StepBreakdown(
            Ticks.Select(t => (double)t / Stopwatch.Frequency).ToArray(), (double)total / Stopwatch.Frequency);
    }

    /// <summary>Opens a scope of <paramref name="kind"/>; dispose it when the work ends.</summary>
    public static Scope Measure(WorkKind kind)
    {
        if (_recording is null || _recording != Thread.CurrentThread) return default;
        if (_open is { } open && (open != WorkKind.Elementwise || kind == WorkKind.Elementwise)) return default;
        var scope = new Scope(kind, _open, _nested, Stopwatch.GetTimestamp());
        _open = kind;
        _nested = 0;
        return scope;
    }

    internal readonly struct Scope(WorkKind kind, WorkKind? outer, long outerNested, long start) : IDisposable
    {
        public void Dispose()
        {
            if (start == 0) return;
            long elapsed = Stopwatch.GetTimestamp() - start;
            Ticks[(int)kind] += elapsed - _nested;
            _open = outer;
            _nested = outerNested + elapsed;
        }
    }
}

/// <summary>Seconds spent in each <see cref="WorkKind"/> and in total; the rest is framework overhead.</summary>
internal sealed record StepBreakdown(double[] Seconds, double TotalSeconds)
{
    public double this[WorkKind kind] => Seconds[(int)kind];

    public double OverheadSeconds => Math.Max(0, TotalSeconds - Seconds.Sum());
}
