namespace Latent.Models;

/// <summary>How a model's weights start (<see cref="ConvAutoencoderConfig.Initialization"/>, <see cref="DenseAutoencoderConfig.Initialization"/>).</summary>
public enum WeightInit
{
    /// <summary>Glorot (Xavier) uniform, U(±√(6 / (fan_in + fan_out))) with the kernel area in both fans, zero biases: Keras' default.</summary>
    Glorot,

    /// <summary>He uniform, U(±√(6 / fan_in)), for ReLU-family layers (Glorot for the others), zero biases.</summary>
    He,

    /// <summary>U(±1/√fan_in) for weights and biases alike: PyTorch's default for linear and convolution layers.</summary>
    FanInUniform,
}
