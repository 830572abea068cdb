using System.Numerics.Tensors;

namespace Latent.Engine.Optim;

/// <summary>
/// Updates parameters from their gradients. A training step is: <c>optimizer.ZeroGrad(); loss.Backward();
/// optimizer.ClipGradNorm(1f) (optional); optimizer.Step();</c>. Parameters without a gradient are skipped.
/// </summary>
public abstract class Optimizer
{
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
        StepCount++;
        for (int i = 0; i < Parameters.Count; i++)
            if (Parameters[i].Grad is { } grad) Update(i, Parameters[i].Span, grad.Span);
    }

    /// <summary>Updates parameter <paramref name="index"/> in place from its gradient.</summary>
    protected abstract void Update(int index, Span<float> parameter, ReadOnlySpan<float> gradient);

    /// <summary>
    /// Rescales all gradients together so that their global L2 norm is at most <paramref name="maxNorm"/>;
    /// returns the norm before clipping (NaN or ∞ if a gradient is not finite, which the caller should treat as divergence).
    /// </summary>
    public float ClipGradNorm(float maxNorm)
    {
        if (!(maxNorm > 0)) throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, "The maximum norm must be positive.");
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
