namespace Latent.Engine.Optim;

/// <summary>
/// Resilient backpropagation (Riedmiller &amp; Braun), PyTorch's variant: every value has its own step size, which grows
/// by <see cref="EtaPlus"/> while its gradient keeps its sign and shrinks by <see cref="EtaMinus"/> when the sign flips
/// (that step is then skipped); the value moves by its step against the gradient's sign. Only signs matter, so it
/// suits full-batch training (AutoRec's recipe), not noisy mini-batches. The learning rate is the first step size.
/// </summary>
public sealed class Rprop : Optimizer
{
    private readonly float[][] _previous, _steps;

    /// <summary>Creates the optimiser with PyTorch's defaults (step 0.01, etas 0.5 and 1.2, steps kept in [1e-6, 50]).</summary>
    public Rprop(IEnumerable<Tensor> parameters, float learningRate = 0.01f, float etaMinus = 0.5f, float etaPlus = 1.2f,
        float minStep = 1e-6f, float maxStep = 50f)
        : base(parameters, learningRate)
    {
        if (!(etaMinus > 0 && etaMinus < 1 && etaPlus > 1)) throw new ArgumentOutOfRangeException(nameof(etaMinus), $"Rprop needs 0 < etaMinus < 1 < etaPlus, not {etaMinus} and {etaPlus}.");
        if (!(minStep > 0 && maxStep >= minStep)) throw new ArgumentOutOfRangeException(nameof(minStep), $"Rprop needs 0 < minStep ≤ maxStep, not {minStep} and {maxStep}.");
        EtaMinus = etaMinus;
        EtaPlus = etaPlus;
        MinStep = minStep;
        MaxStep = maxStep;
        _previous = CreateState();
        _steps = [.. Parameters.Select(p => Enumerable.Repeat(learningRate, p.Length).ToArray())];
    }

    /// <summary>Factor applied to a step size when its gradient changes sign.</summary>
    public float EtaMinus { get; }

    /// <summary>Factor applied to a step size when its gradient keeps its sign.</summary>
    public float EtaPlus { get; }

    /// <summary>Smallest step size.</summary>
    public float MinStep { get; }

    /// <summary>Largest step size.</summary>
    public float MaxStep { get; }

    /// <inheritdoc/>
    protected override void Update(int index, int offset, Span<float> p, ReadOnlySpan<float> g)
    {
        Span<float> previous = _previous[index].AsSpan(offset, p.Length), steps = _steps[index].AsSpan(offset, p.Length);
        for (int i = 0; i < p.Length; i++)
        {
            float gradient = g[i], product = gradient * previous[i];
            if (product > 0) steps[i] = MathF.Min(steps[i] * EtaPlus, MaxStep);
            else if (product < 0)
            {
                steps[i] = MathF.Max(steps[i] * EtaMinus, MinStep);
                gradient = 0f;   // after a sign change: no move now, and no comparison next time
            }
            p[i] -= MathF.Sign(gradient) * steps[i];
            previous[i] = gradient;
        }
    }
}
