using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Latent.Engine.Kernels.Recurrent;

/// <summary>
/// The gate non-linearities of the recurrent cells, on 8 lanes and on one: σ(x) = 1 / (1 + e^−x), and
/// tanh(x) = 2σ(2x) − 1 (one exponential; its absolute error near 0 is a few 1e-8, far below float32 training noise).
/// </summary>
internal static class GateMath
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Sigmoid(Vector256<float> x) =>
        Vector256<float>.One / (Vector256<float>.One + Vector256.Exp(-x));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Tanh(Vector256<float> x) =>
        Vector256.Create(2f) / (Vector256<float>.One + Vector256.Exp(x * -2f)) - Vector256<float>.One;

    public static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));

    public static float Tanh(float x) => 2f / (1f + MathF.Exp(-2f * x)) - 1f;
}
