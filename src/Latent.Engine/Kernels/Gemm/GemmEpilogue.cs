using System.Numerics.Tensors;
using Latent.Engine.Kernels.Elementwise;

namespace Latent.Engine.Kernels.Gemm;

/// <summary>
/// What the GEMM does to each finished block of C while it is still in cache: add a bias per column,
/// then apply an activation. The default does nothing.
/// </summary>
internal readonly unsafe struct GemmEpilogue(float* bias, Activation activation, float parameter)
{
    /// <summary>Bias of length N (one value per column of C), or null.</summary>
    public float* Bias { get; } = bias;
    public Activation Activation { get; } = activation;
    public float Parameter { get; } = parameter;

    public bool IsEmpty => Bias == null && Activation == Activation.Identity;

    /// <summary>Applies the epilogue to <paramref name="row"/>, the part of one row of C that starts at column <paramref name="column"/>.</summary>
    public void Apply(Span<float> row, int column)
    {
        if (Bias != null) TensorPrimitives.Add(row, new ReadOnlySpan<float>(Bias + column, row.Length), row);
        if (Activation != Activation.Identity) ActivationKernels.Forward(Activation, Parameter, row, row);
    }
}

/// <summary>Which micro-kernel the GEMM runs. <see cref="Auto"/> picks the widest the CPU supports.</summary>
internal enum GemmPath
{
    Auto,
    Avx512,
    Avx2,
    Portable,
}
