using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Latent.Bench;

/// <summary>
/// The machine's measured peak of float fused multiply-adds: twelve independent chains of FMAs on the widest
/// hardware vectors (enough to hide the instruction's latency), on each of some threads at once. No float kernel
/// can beat it, so it is the scale GEMM and convolution speeds are read against.
/// </summary>
internal static class FmaPeakMeter
{
    private const int Chunk = 1 << 16;   // iterations between looks at the clock

    /// <summary>GFLOP/s over all <paramref name="threads"/>, the best of three runs of about <paramref name="seconds"/> each.</summary>
    public static double Measure(int threads, double seconds)
    {
        Run(threads, 0.05);   // compiles the loops and wakes the cores
        return Enumerable.Range(0, 3).Max(_ => Run(threads, seconds));
    }

    private static double Run(int threads, double seconds)
    {
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, threads)
            .Select(_ => Task.Factory.StartNew(() => Flops(seconds), TaskCreationOptions.LongRunning)).ToArray();
        Task.WaitAll(workers);
        return workers.Sum(w => w.Result) / clock.Elapsed.TotalSeconds / 1e9;
    }

    /// <summary>Float operations done in about <paramref name="seconds"/> (an FMA counts as two per lane).</summary>
    private static double Flops(double seconds)
    {
        var clock = Stopwatch.StartNew();
        long iterations = 0;
        float sink = 0;
        bool wide = Vector512.IsHardwareAccelerated;
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            sink += wide ? Chains512(Chunk) : Chains256(Chunk);
            iterations += Chunk;
        }
        GC.KeepAlive(sink);
        return iterations * 12.0 * 2 * (wide ? Vector512<float>.Count : Vector256<float>.Count);
    }

    // a ← a·m + c converges to c / (1 − m) = 1, so the values stay normal (denormals would be slow).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float Chains512(int iterations)
    {
        Vector512<float> m = Vector512.Create(0.999f), c = Vector512.Create(0.001f);
        Vector512<float> a0 = m, a1 = m, a2 = m, a3 = m, a4 = m, a5 = m, a6 = m, a7 = m, a8 = m, a9 = m, a10 = m, a11 = m;
        for (int i = 0; i < iterations; i++)
        {
            a0 = Vector512.FusedMultiplyAdd(a0, m, c); a1 = Vector512.FusedMultiplyAdd(a1, m, c);
            a2 = Vector512.FusedMultiplyAdd(a2, m, c); a3 = Vector512.FusedMultiplyAdd(a3, m, c);
            a4 = Vector512.FusedMultiplyAdd(a4, m, c); a5 = Vector512.FusedMultiplyAdd(a5, m, c);
            a6 = Vector512.FusedMultiplyAdd(a6, m, c); a7 = Vector512.FusedMultiplyAdd(a7, m, c);
            a8 = Vector512.FusedMultiplyAdd(a8, m, c); a9 = Vector512.FusedMultiplyAdd(a9, m, c);
            a10 = Vector512.FusedMultiplyAdd(a10, m, c); a11 = Vector512.FusedMultiplyAdd(a11, m, c);
        }
        return Vector512.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float Chains256(int iterations)
    {
        Vector256<float> m = Vector256.Create(0.999f), c = Vector256.Create(0.001f);
        Vector256<float> a0 = m, a1 = m, a2 = m, a3 = m, a4 = m, a5 = m, a6 = m, a7 = m, a8 = m, a9 = m, a10 = m, a11 = m;
        for (int i = 0; i < iterations; i++)
        {
            a0 = Vector256.FusedMultiplyAdd(a0, m, c); a1 = Vector256.FusedMultiplyAdd(a1, m, c);
            a2 = Vector256.FusedMultiplyAdd(a2, m, c); a3 = Vector256.FusedMultiplyAdd(a3, m, c);
            a4 = Vector256.FusedMultiplyAdd(a4, m, c); a5 = Vector256.FusedMultiplyAdd(a5, m, c);
            a6 = Vector256.FusedMultiplyAdd(a6, m, c); a7 = Vector256.FusedMultiplyAdd(a7, m, c);
            a8 = Vector256.FusedMultiplyAdd(a8, m, c); a9 = Vector256.FusedMultiplyAdd(a9, m, c);
            a10 = Vector256.FusedMultiplyAdd(a10, m, c); a11 = Vector256.FusedMultiplyAdd(a11, m, c);
        }
        return Vector256.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
    }
}
