using System.Runtime.Intrinsics;
using Latent.Engine.Kernels.Elementwise;

namespace Latent.Engine.Losses;

// Binary cross-entropy on logits z against targets t, in the stable form
//   ℓ = max(z, 0) − z·t + log(1 + e^−|z|),   dℓ/dz = σ(z) − t,   dℓ/dt = −z.

internal readonly struct BceWithLogitsOp : IBinaryOp
{
    public float Invoke(float z, float t) => MathF.Max(z, 0f) - z * t + MathF.Log(1f + MathF.Exp(-MathF.Abs(z)));
    public Vector256<float> Invoke(Vector256<float> z, Vector256<float> t) =>
        Vector256.Max(z, Vector256<float>.Zero) - z * t + Vector256.Log(Vector256<float>.One + Vector256.Exp(-Vector256.Abs(z)));
    public Vector512<float> Invoke(Vector512<float> z, Vector512<float> t) =>
        Vector512.Max(z, Vector512<float>.Zero) - z * t + Vector512.Log(Vector512<float>.One + Vector512.Exp(-Vector512.Abs(z)));
}

/// <summary>scale · (σ(z) − t): the scaled gradient with respect to the logits, in one pass.</summary>
internal readonly struct BceWithLogitsGradOp(float scale) : IBinaryOp
{
    public float Invoke(float z, float t)
    {
        float e = MathF.Exp(-MathF.Abs(z));
        return scale * ((z >= 0 ? 1f / (1f + e) : e / (1f + e)) - t);
    }

    public Vector256<float> Invoke(Vector256<float> z, Vector256<float> t)
    {
        var e = Vector256.Exp(-Vector256.Abs(z));
        var s = Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(z, Vector256<float>.Zero), Vector256<float>.One, e);
        return Vector256.Create(scale) * (s / (Vector256<float>.One + e) - t);
    }

    public Vector512<float> Invoke(Vector512<float> z, Vector512<float> t)
    {
        var e = Vector512.Exp(-Vector512.Abs(z));
        var s = Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(z, Vector512<float>.Zero), Vector512<float>.One, e);
        return Vector512.Create(scale) * (s / (Vector512<float>.One + e) - t);
    }
}

/// <summary>scale · (p − t): the scaled gradient of the squared error, in one pass.</summary>
internal readonly struct ScaledDifferenceOp(float scale) : IBinaryOp
{
    public float Invoke(float p, float t) => scale * (p - t);
    public Vector256<float> Invoke(Vector256<float> p, Vector256<float> t) => Vector256.Create(scale) * (p - t);
    public Vector512<float> Invoke(Vector512<float> p, Vector512<float> t) => Vector512.Create(scale) * (p - t);
}
