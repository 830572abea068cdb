using System.Runtime.ExceptionServices;

namespace Latent.Engine.Kernels;

/// <summary>A piece of work split into parts that may run at the same time, one per thread.</summary>
internal interface IParallelJob
{
    void Execute(int part);
}

/// <summary>
/// A tiny persistent pool for the parallel kernels (GEMM, convolution, optimiser updates): part 0 runs on the calling thread, parts 1..n-1 on dedicated
/// background threads that spin briefly and then sleep between jobs. Unlike Parallel.For it allocates
/// nothing per call and hands work over in a few microseconds. One job runs at a time; concurrent callers
/// wait their turn. Not re-entrant: a part must not start another pooled job.
/// </summary>
internal static class WorkerPool
{
    // Spin iterations before a waiting thread blocks (ManualResetEventSlim's maximum): products arrive in
    // bursts (forward then backward), so a worker is usually woken again within microseconds.
    private const int SpinCount = 2047;

    private static readonly Lock Gate = new();
    private static readonly List<Worker> Workers = [];
    private static readonly ManualResetEventSlim Done = new(false, SpinCount);
    private static int _pending;
    private static Exception? _failure;

    /// <summary>Runs parts 0..<paramref name="parts"/>-1 of <paramref name="job"/> and returns when all have finished.</summary>
    public static void Run(IParallelJob job, int parts)
    {
        if (parts <= 1)
        {
            job.Execute(0);
            return;
        }
        lock (Gate)
        {
            while (Workers.Count < parts - 1) Workers.Add(new Worker(Workers.Count + 1));
            _failure = null;
            _pending = parts - 1;
            Done.Reset();
            for (int i = 1; i < parts; i++) Workers[i - 1].Start(job);
            try
            {
                job.Execute(0);
            }
            finally
            {
                // Even if part 0 failed: no worker may still be writing into the caller's memory on return.
                Done.Wait();
            }
            if (_failure is { } failure) ExceptionDispatchInfo.Throw(failure);
        }
    }

    private static void Finished(Exception? failure)
    {
        if (failure is not null) Interlocked.CompareExchange(ref _failure, failure, null);
        if (Interlocked.Decrement(ref _pending) == 0) Done.Set();
    }

    private sealed class Worker
    {
        private readonly ManualResetEventSlim _go = new(false, SpinCount);
        private readonly int _part;
        private IParallelJob? _job;

        public Worker(int part)
        {
            _part = part;
            new Thread(Loop) { IsBackground = true, Name = $"Latent worker {part}" }.Start();
        }

        public void Start(IParallelJob job)
        {
            _job = job;
            _go.Set();
        }

        private void Loop()
        {
            while (true)
            {
                _go.Wait();
                _go.Reset();
                Exception? failure = null;
                try
                {
                    _job!.Execute(_part);
                }
                catch (Exception e)
                {
                    failure = e;
                }
                _job = null;
                Finished(failure);
            }
        }
    }
}
