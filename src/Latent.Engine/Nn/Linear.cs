namespace Latent.Engine.Nn;

/// <summary>
/// Fully connected layer y = f(x·Wᵀ + b), with the activation f fused into the matrix product.
/// input: [batch, in]; output: [batch, out]; weight: [out, in]; bias: [out].
/// <code>
/// var layer = new Linear(784, 128, activation: Activation.Relu);
/// Tensor h = layer.Forward(x);   // x: [256, 784] → h: [256, 128]
/// </code>
/// </summary>
public sealed class Linear : Module
{
    /// <summary>A layer from <paramref name="inputs"/> to <paramref name="outputs"/> features, its weights initialised for <paramref name="activation"/> by <paramref name="rng"/> (the default source when null).</summary>
    public Linear(int inputs, int outputs, bool bias = true, Activation activation = Activation.Identity,
        float parameter = float.NaN, Rng? rng = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputs);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputs);
        Inputs = inputs;
        Outputs = outputs;
        Activation = activation;
        Parameter = parameter;
        Weight = AddParameter("weight", Tensor.Zeros(outputs, inputs));
        Bias = bias ? AddParameter("bias", Tensor.Zeros(outputs)) : null;
        ResetParameters(rng ?? Rng.Default);
    }

    /// <summary>Features per input row.</summary>
    public int Inputs { get; }
    /// <summary>Features per output row.</summary>
    public int Outputs { get; }
    /// <summary>The activation fused into the product.</summary>
    public Activation Activation { get; }
    /// <summary>The leaky-relu slope or elu alpha (NaN: the activation's default).</summary>
    public float Parameter { get; }
    /// <summary>The weights: [out, in].</summary>
    public Tensor Weight { get; }
    /// <summary>The bias per output feature, or null.</summary>
    public Tensor? Bias { get; }

    /// <summary>He-uniform weights for ReLU-family activations, Glorot-uniform otherwise; zero bias.</summary>
    public void ResetParameters(Rng rng)
    {
        Init.ForActivation(Weight, Activation, rng);
        Bias?.Span.Clear();
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Ops.Linear(input, Weight, Bias, Activation, Parameter);
}
