using System.Numerics.Tensors;

namespace Latent.Engine.Optim;

/// <summary>
/// Stochastic gradient descent with optional momentum (PyTorch's form: v = μ·v + g; p −= lr·v) and L2
/// weight decay (added to the gradient).
/// </summary>
public sealed class Sgd : Optimizer
{
    private readonly float[][]? _velocity;
    private float[]? _scratch;

    /// <summary>SGD over <paramref name="parameters"/>; momentum in [0, 1) and weight decay ≥ 0.</summary>
    public Sgd(IEnumerable<Tensor> parameters, float learningRate = 0.01f, float momentum = 0f, float weightDecay = 0f)
        : base(parameters, learningRate)
    {
        if (!(momentum >= 0 && momentum < 1)) throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "Momentum must be in [0, 1).");
        if (!(weightDecay >= 0)) throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "Weight decay must be ≥ 0.");
        Momentum = momentum;
        WeightDecay = weightDecay;
        _velocity = momentum > 0 ? CreateState() : null;
    }

    /// <summary>The momentum μ (0: plain SGD).</summary>
    public float Momentum { get; }
    /// <summary>L2 penalty λ, added to the gradient.</summary>
    public float WeightDecay { get; }

    /// <inheritdoc/>
    protected override void Update(int index, Span<float> p, ReadOnlySpan<float> g)
    {
        if (WeightDecay > 0)
        {
            if (_scratch is null || _scratch.Length < p.Length) _scratch = new float[p.Length];
            Span<float> decayed = _scratch.AsSpan(0, p.Length);
            TensorPrimitives.MultiplyAdd(p, WeightDecay, g, decayed);   // g + λ·p
            g = decayed;
        }
        if (_velocity is null)
        {
            TensorPrimitives.MultiplyAdd(g, -LearningRate, p, p);
            return;
        }
        Span<float> v = _velocity[index];
        TensorPrimitives.MultiplyAdd(v, Momentum, g, v);               // v = μ·v + g
        TensorPrimitives.MultiplyAdd(v, -LearningRate, p, p);
    }
}
