namespace Latent.Engine.Nn;

/// <summary>
/// A point-wise activation as a layer: <c>new ActivationLayer(Activation.Relu)</c>. Prefer the activation
/// argument of <see cref="Linear"/>, which fuses it into the product.
/// </summary>
public sealed class ActivationLayer(Activation activation, float parameter = float.NaN) : Module
{
    /// <summary>The activation applied to every element.</summary>
    public Activation Activation { get; } = activation;

    /// <summary>The leaky-relu slope or elu alpha (NaN: the activation's default).</summary>
    public float Parameter { get; } = parameter;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Ops.Activate(input, Activation, Parameter);
}
