using System.Numerics;
using System.Runtime.InteropServices;

namespace Latent.Engine.Optim;

/// <summary>
/// Adam (Kingma &amp; Ba), with PyTorch's update:
/// m = β₁m + (1−β₁)g; v = β₂v + (1−β₂)g²; p −= lr/(1−β₁ᵗ) · m / (√v / √(1−β₂ᵗ) + ε).
/// <c>weightDecay</c> adds λ·p to the gradient (L2); <see cref="AdamW"/> decays the weights directly instead.
/// </summary>
public class Adam : Optimizer
{
    private readonly float[][] _m, _v;
    private readonly bool _decoupled;

    /// <summary>Adam over <paramref name="parameters"/> with PyTorch's defaults.</summary>
    public Adam(IEnumerable<Tensor> parameters, float learningRate = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f,
        float epsilon = 1e-8f, float weightDecay = 0f)
        : this(parameters, learningRate, beta1, beta2, epsilon, weightDecay, decoupled: false) { }

    private protected Adam(IEnumerable<Tensor> parameters, float learningRate, float beta1, float beta2, float epsilon,
        float weightDecay, bool decoupled)
        : base(parameters, learningRate)
    {
        if (!(beta1 >= 0 && beta1 < 1)) throw new ArgumentOutOfRangeException(nameof(beta1), beta1, "beta1 must be in [0, 1).");
        if (!(beta2 >= 0 && beta2 < 1)) throw new ArgumentOutOfRangeException(nameof(beta2), beta2, "beta2 must be in [0, 1).");
        if (!(epsilon > 0)) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "epsilon must be positive.");
        if (!(weightDecay >= 0)) throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "Weight decay must be ≥ 0.");
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        WeightDecay = weightDecay;
        _decoupled = decoupled;
        _m = CreateState();
        _v = CreateState();
    }

    /// <summary>Decay of the running mean of gradients (β₁).</summary>
    public float Beta1 { get; }
    /// <summary>Decay of the running mean of squared gradients (β₂).</summary>
    public float Beta2 { get; }
    /// <summary>Added to the denominator for stability (ε).</summary>
    public float Epsilon { get; }
    /// <summary>L2 penalty λ (added to the gradient; decoupled in AdamW).</summary>
    public float WeightDecay { get; }

    private float _stepSize, _invSqrtBc2;

    /// <inheritdoc/>
    protected override void BeginStep()
    {
        int t = StepCount;
        _stepSize = LearningRate / (1f - MathF.Pow(Beta1, t));
        _invSqrtBc2 = 1f / MathF.Sqrt(1f - MathF.Pow(Beta2, t));
    }

    /// <inheritdoc/>
    protected override void Update(int index, int offset, Span<float> p, ReadOnlySpan<float> g)
    {
        float stepSize = _stepSize, invSqrtBc2 = _invSqrtBc2;
        float l2 = _decoupled ? 0f : WeightDecay;
        float keep = _decoupled ? 1f - LearningRate * WeightDecay : 1f;   // AdamW shrinks p before the Adam step

        Span<float> m = _m[index].AsSpan(offset, p.Length), v = _v[index].AsSpan(offset, p.Length);
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var ps = MemoryMarshal.Cast<float, Vector<float>>(p);
            var gs = MemoryMarshal.Cast<float, Vector<float>>(g);
            var ms = MemoryMarshal.Cast<float, Vector<float>>(m);
            var vs = MemoryMarshal.Cast<float, Vector<float>>(v);
            for (int j = 0; j < ps.Length; j++)
            {
                Vector<float> grad = gs[j] + l2 * ps[j];
                ms[j] = Beta1 * ms[j] + (1f - Beta1) * grad;
                vs[j] = Beta2 * vs[j] + (1f - Beta2) * grad * grad;
                ps[j] = ps[j] * keep - stepSize * ms[j] / (Vector.SquareRoot(vs[j]) * invSqrtBc2 + new Vector<float>(Epsilon));
            }
            i = ps.Length * Vector<float>.Count;
        }
        for (; i < p.Length; i++)
        {
            float grad = g[i] + l2 * p[i];
            m[i] = Beta1 * m[i] + (1f - Beta1) * grad;
            v[i] = Beta2 * v[i] + (1f - Beta2) * grad * grad;
            p[i] = p[i] * keep - stepSize * m[i] / (MathF.Sqrt(v[i]) * invSqrtBc2 + Epsilon);
        }
    }
}

/// <summary>Adam with decoupled weight decay (Loshchilov &amp; Hutter): p −= lr·λ·p before the Adam update.</summary>
public sealed class AdamW(IEnumerable<Tensor> parameters, float learningRate = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f,
    float epsilon = 1e-8f, float weightDecay = 0.01f)
    : Adam(parameters, learningRate, beta1, beta2, epsilon, weightDecay, decoupled: true);
