using System.Runtime.ExceptionServices;

namespace Latent.Engine.Kernels;

/// <summary>A piece of work split into parts that may run at the same time. A part's result must not depend on which thread runs it.</summary>
internal interface IParallelJob
{
    void Execute(int part);
}

/// <summary>
/// A tiny persistent pool for the parallel kernels (GEMM, convolution, optimiser updates): the calling thread and
/// dedicated background threads (which spin briefly, then sleep between jobs) take the parts of a job one at a time
/// until none is left. The caller never waits for a worker to wake: when the other cores are busy (another process,
/// or a worker still asleep), it runs the parts itself, and a late worker finds nothing left. Unlike Parallel.For it
/// allocates nothing per call and hands work over in about 2 µs. One job runs at a time; concurrent callers wait
/// their turn. Not re-entrant: a part must not start another pooled job.
/// </summary>
internal static class WorkerPool
{
    // Spin iterations before a waiting thread blocks (ManualResetEventSlim's maximum): products arrive in
    // bursts (forward then backward), so a worker is usually woken again within microseconds.
    private const int SpinCount = 2047;

    private static readonly Lock Gate = new();
    private static readonly List<Worker> Workers = [];
    private static readonly ManualResetEventSlim Done = new(false, SpinCount);

    // The job being run in one word that changes atomically: its number (so that a worker woken for an earlier job
    // takes nothing from this one), its part count and the next part to hand out (16 bits each).
    private static long _claims;
    private static int _generation, _remaining;
    private static IParallelJob? _job;
    private static Exception? _failure;

    /// <summary>Runs parts 0..<paramref name="parts"/>-1 of <paramref name="job"/> and returns when all have finished.</summary>
    public static void Run(IParallelJob job, int parts)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(parts, ushort.MaxValue);
        if (parts <= 1)
        {
            job.Execute(0);
            return;
        }
        lock (Gate)
        {
            while (Workers.Count < parts - 1) Workers.Add(new Worker(Workers.Count + 1));
            _failure = null;
            _job = job;
            _remaining = parts;
            Done.Reset();
            int generation = ++_generation;
            Volatile.Write(ref _claims, (long)generation << 32 | (long)parts << 16);
            for (int i = 0; i < parts - 1; i++) Workers[i].Wake(generation);
            Participate(generation);
            // Parts still running on workers write into the caller's memory: wait for them, even after a failure.
            Done.Wait();
            _job = null;
            if (_failure is { } failure) ExceptionDispatchInfo.Throw(failure);
        }
    }

    /// <summary>Takes and runs parts of job <paramref name="generation"/> until none is left.</summary>
    private static void Participate(int generation)
    {
        while (TryClaim(generation, out int part))
        {
            try
            {
                // A claim succeeds only while its job runs, and that job cannot end before this part does.
                _job!.Execute(part);
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref _failure, e, null);
            }
            finally
            {
                if (Interlocked.Decrement(ref _remaining) == 0) Done.Set();
            }
        }
    }

    private static bool TryClaim(int generation, out int part)
    {
        while (true)
        {
            long claims = Volatile.Read(ref _claims);
            part = (int)(claims & 0xFFFF);
            if ((int)(claims >> 32) != generation || part >= (int)((claims >> 16) & 0xFFFF)) return false;
            if (Interlocked.CompareExchange(ref _claims, claims + 1, claims) == claims) return true;
        }
    }

    private sealed class Worker
    {
        private readonly ManualResetEventSlim _go = new(false, SpinCount);
        private int _generation;

        public Worker(int number) => new Thread(Loop) { IsBackground = true, Name = $"Latent worker {number}" }.Start();

        public void Wake(int generation)
        {
            Volatile.Write(ref _generation, generation);
            _go.Set();
        }

        private void Loop()
        {
            while (true)
            {
                _go.Wait();
                _go.Reset();
                Participate(Volatile.Read(ref _generation));
            }
        }
    }
}
