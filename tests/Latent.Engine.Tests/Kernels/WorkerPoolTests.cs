using Latent.Engine.Kernels;

namespace Latent.Engine.Tests.Kernels;

public class WorkerPoolTests
{
    private sealed class CountingJob(int parts) : IParallelJob
    {
        public readonly int[] Runs = new int[parts];

        public void Execute(int part) => Interlocked.Increment(ref Runs[part]);
    }

    [Fact]
    public void EveryPartRunsExactlyOnceJobAfterJob()
    {
        // Back-to-back jobs: a worker woken late for one job must take nothing from the next.
        for (int job = 0; job < 20_000; job++)
        {
            int parts = 2 + job % 3;
            var counting = new CountingJob(parts);
            WorkerPool.Run(counting, parts);
            Assert.True(counting.Runs.All(runs => runs == 1), $"job {job}: parts ran {string.Join(", ", counting.Runs)} times");
        }
    }

    private sealed class FailingJob : IParallelJob
    {
        public int Finished;

        public void Execute(int part)
        {
            if (part == 1) throw new InvalidOperationException("part 1 failed");
            Thread.Sleep(20);
            Interlocked.Increment(ref Finished);
        }
    }

    [Fact]
    public void AFailedPartReachesTheCallerAfterTheOtherPartsFinish()
    {
        var job = new FailingJob();
        var e = Assert.Throws<InvalidOperationException>(() => WorkerPool.Run(job, 3));
        Assert.Equal("part 1 failed", e.Message);
        Assert.Equal(2, job.Finished);
    }
}
