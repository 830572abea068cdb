using System.Numerics.Tensors;
using Latent.Engine.Diagnostics;
using Latent.Engine.Kernels;

namespace Latent.Engine.Optim;

/// <summary>
/// Updates parameters from their gradients. A training step is: <c>optimizer.ZeroGrad(); loss.Backward();
/// optimizer.ClipGradNorm(1f) (optional); optimizer.Step();</c>. Parameters without a gradient are skipped.
/// </summary>
/// <remarks>
/// A step is one pass over all parameters, seen end to end as one long vector; when that vector is long it is cut
/// into contiguous ranges, one per thread (the update is element-wise, so the result does not depend on the cut).
/// </remarks>
public abstract class Optimizer : IParallelJob
{
    /// <summary>
    /// Least elements per thread. The hand-off is cheap (~2 µs), but the gradients were just written by another core's
    /// cache and must travel: measured here, Adam over 300 K elements took 160 µs on one thread and 220 µs on two,
    /// 2.8 M elements 1.64 ms and 1.10 ms. So only models of more than ~2 M parameters update on several threads.
    /// </summary>
    private const int MinElementsPerThread = 1 << 20;

    private int _parts;
    private long _total;

    /// <summary>An optimizer over <paramref name="parameters"/> (each must require gradients) at <paramref name="learningRate"/>.</summary>
    protected Optimizer(IEnumerable<Tensor> parameters, float learningRate)
    {
        Parameters = [.. parameters];
        if (Parameters.Count == 0) throw new ArgumentException("The optimizer was given no parameters.");
        foreach (Tensor p in Parameters)
            if (!p.RequiresGrad) throw new ArgumentException($"A parameter of shape {Shapes.Format(p.ShapeArray)} does not require gradients.");
        LearningRate = learningRate;
    }

    /// <summary>The tensors this optimizer updates.</summary>
    public IReadOnlyList<Tensor> Parameters { get; }

    /// <summary>The current learning rate; schedules change it between steps.</summary>
    public float LearningRate
    {
        get;
        set => field = value >= 0 && float.IsFinite(value)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, "The learning rate must be a finite number ≥ 0.");
    }

    /// <summary>Number of <see cref="Step"/> calls so far.</summary>
    public int StepCount { get; private set; }

    /// <summary>Forgets the gradients of all parameters, before the next backward pass.</summary>
    public void ZeroGrad()
    {
        foreach (Tensor p in Parameters) p.ZeroGrad();
    }

    /// <summary>Applies one update to every parameter that has a gradient.</summary>
    public void Step()
    {
        using var profile = StepProfiler.Measure(WorkKind.Optimizer);
        StepCount++;
        BeginStep();
        _total = 0;
        foreach (Tensor p in Parameters)
            if (p.Grad is not null) _total += p.Length;
        _parts = (int)Math.Clamp(_total / MinElementsPerThread, 1, Parallelism.Threads);
        WorkerPool.Run(this, _parts);
    }

    /// <summary>Updates range <paramref name="part"/> of the parameters seen end to end (those with a gradient).</summary>
    void IParallelJob.Execute(int part)
    {
        long start = _total * part / _parts, end = _total * (part + 1) / _parts, offset = 0;
        for (int i = 0; i < Parameters.Count && offset < end; i++)
        {
            Tensor p = Parameters[i];
            if (p.Grad is not { } grad) continue;
            long from = Math.Max(start, offset), to = Math.Min(end, offset + p.Length);
            if (from < to)
            {
                int first = (int)(from - offset), count = (int)(to - from);
                Update(i, first, p.Span.Slice(first, count), grad.Span.Slice(first, count));
            }
            offset += p.Length;
        }
    }

    /// <summary>Called once at the start of each step, after <see cref="StepCount"/> has advanced: compute per-step constants here.</summary>
    protected virtual void BeginStep() { }

    /// <summary>
    /// Updates elements <paramref name="offset"/>.. of parameter <paramref name="index"/> in place from their gradient
    /// (<paramref name="parameter"/> and <paramref name="gradient"/> are those elements). Called for disjoint ranges from
    /// several threads at once: touch only the state of these elements.
    /// </summary>
    protected abstract void Update(int index, int offset, Span<float> parameter, ReadOnlySpan<float> gradient);

    /// <summary>
    /// Rescales all gradients together so that their global L2 norm is at most <paramref name="maxNorm"/>;
    /// returns the norm before clipping (NaN or ∞ if a gradient is not finite, which the caller should treat as divergence).
    /// </summary>
    public float ClipGradNorm(float maxNorm)
    {
        if (!(maxNorm > 0)) throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, "The maximum norm must be positive.");
        using var profile = StepProfiler.Measure(WorkKind.Optimizer);
        double sumOfSquares = 0;
        foreach (Tensor p in Parameters)
            if (p.Grad is { } g) sumOfSquares += TensorPrimitives.SumOfSquares(g.Span);
        float norm = (float)Math.Sqrt(sumOfSquares);
        if (norm > maxNorm)
        {
            float factor = maxNorm / (norm + 1e-6f);
            foreach (Tensor p in Parameters)
                if (p.Grad is { } g) TensorPrimitives.Multiply(g.Span, factor, g.Span);
        }
        return norm;
    }

    /// <summary>Per-parameter state buffers (zeros), allocated once.</summary>
    protected float[][] CreateState() => [.. Parameters.Select(p => new float[p.Length])];
}
