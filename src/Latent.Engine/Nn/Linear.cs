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

    public int Inputs { get; }
    public int Outputs { get; }
    public Activation Activation { get; }
    public float Parameter { get; }
    public Tensor Weight { get; }
    public Tensor? Bias { get; }

    /// <summary>He-uniform weights for ReLU-family activations, Glorot-uniform otherwise; zero bias.</summary>
    public void ResetParameters(Rng rng)
    {
        Init.ForActivation(Weight, Activation, rng);
        Bias?.Span.Clear();
    }

    public override Tensor Forward(Tensor input) => Ops.Linear(input, Weight, Bias, Activation, Parameter);
}
