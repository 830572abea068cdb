namespace Latent.Engine;

/// <summary>Point-wise non-linearities that layers and fused kernels know by name.</summary>
public enum Activation
{
    /// <summary>y = x.</summary>
    Identity,
    /// <summary>y = max(x, 0).</summary>
    Relu,
    /// <summary>y = x for x &gt; 0, else slope·x (slope 0.01 by default).</summary>
    LeakyRelu,
    /// <summary>y = x for x &gt; 0, else alpha·(eˣ − 1) (alpha 1 by default).</summary>
    Elu,
    /// <summary>y = 1 / (1 + e⁻ˣ).</summary>
    Sigmoid,
    /// <summary>y = tanh(x).</summary>
    Tanh,
    /// <summary>y = log(1 + eˣ).</summary>
    Softplus,
}
