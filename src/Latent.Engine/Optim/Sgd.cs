using System.Numerics.Tensors;

namespace Latent.Engine.Optim;

/// <summary>
/// Stochastic gradient descent with optional momentum (PyTorch's form: v = μ·v + g; p −= lr·v) and L2
/// weight decay (added to the gradient).
/// </summary>
public sealed class Sgd : Optimizer
{
    private readonly float[][]? _velocity;

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
    protected override void Update(int index, int offset, Span<float> p, ReadOnlySpan<float> g)
    {
        float lr = LearningRate, decay = WeightDecay, momentum = Momentum;
        if (_velocity is null)
        {
            if (decay > 0) TensorPrimitives.Multiply(p, 1f - lr * decay, p);   // p − lr·(g + λ·p)
            TensorPrimitives.MultiplyAdd(g, -lr, p, p);
            return;
        }
        Span<float> v = _velocity[index].AsSpan(offset, p.Length);
        for (int i = 0; i < p.Length; i++)
        {
            v[i] = momentum * v[i] + (g[i] + decay * p[i]);                   // v = μ·v + (g + λ·p)
            p[i] -= lr * v[i];
        }
    }
}
