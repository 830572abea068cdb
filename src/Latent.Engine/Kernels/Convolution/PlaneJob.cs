namespace Latent.Engine.Kernels.Convolution;

/// <summary>
/// Work on independent image planes (one channel of one image each): pooling and upsampling, forward and backward.
/// Runs the planes on the calling thread when the work is small, else splits them into contiguous shares over the
/// engine's worker threads (no allocation per call).
/// </summary>
internal abstract class PlaneJob : IParallelJob
{
    /// <summary>Least elements touched per thread before a second thread is worth waking (~10 µs of hand-off).</summary>
    private const long MinElementsPerThread = 1 << 17;

    private int _planes, _parts;

    /// <summary>Processes planes [first, end) on the calling thread.</summary>
    protected abstract void Process(int first, int end);

    /// <summary>Processes all <paramref name="planes"/> planes, each touching about <paramref name="elementsPerPlane"/> elements.</summary>
    protected void Run(int planes, long elementsPerPlane)
    {
        _planes = planes;
        long total = planes * elementsPerPlane;
        _parts = (int)Math.Clamp(total / MinElementsPerThread, 1, Math.Min(Parallelism.Threads, Math.Max(planes, 1)));
        WorkerPool.Run(this, _parts);
    }

    public void Execute(int part)
    {
        int first = (int)((long)_planes * part / _parts), end = (int)((long)_planes * (part + 1) / _parts);
        if (first < end) Process(first, end);
    }
}
