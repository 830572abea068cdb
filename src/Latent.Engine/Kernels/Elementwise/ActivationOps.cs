using System.Runtime.Intrinsics;

namespace Latent.Engine.Kernels.Elementwise;

// Forward activations that TensorPrimitives does not offer, and the backward rule of each activation.
// Backward rules take the forward output y where it determines the derivative (cheaper and exact),
// and the input x only where it must (softplus).

/// <summary>y = x &gt; 0 ? x : slope·x.</summary>
internal readonly struct LeakyReluOp(float slope) : IUnaryOp
{
    public float Invoke(float x) => x > 0 ? x : slope * x;
    public Vector256<float> Invoke(Vector256<float> x) =>
        Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), x, x * slope);
    public Vector512<float> Invoke(Vector512<float> x) =>
        Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<float>.Zero), x, x * slope);
}

/// <summary>y = x &gt; 0 ? x : alpha·(eˣ − 1).</summary>
internal readonly struct EluOp(float alpha) : IUnaryOp
{
    public float Invoke(float x) => x > 0 ? x : alpha * (MathF.Exp(x) - 1f);
    public Vector256<float> Invoke(Vector256<float> x) => Vector256.ConditionalSelect(
        Vector256.GreaterThan(x, Vector256<float>.Zero), x,
        (Vector256.Exp(Vector256.Min(x, Vector256<float>.Zero)) - Vector256<float>.One) * alpha);
    public Vector512<float> Invoke(Vector512<float> x) => Vector512.ConditionalSelect(
        Vector512.GreaterThan(x, Vector512<float>.Zero), x,
        (Vector512.Exp(Vector512.Min(x, Vector512<float>.Zero)) - Vector512<float>.One) * alpha);
}

/// <summary>y = log(1 + eˣ), computed as max(x, 0) + log(1 + e^−|x|) so that it never overflows.</summary>
internal readonly struct SoftplusOp : IUnaryOp
{
    public float Invoke(float x) => MathF.Max(x, 0f) + MathF.Log(1f + MathF.Exp(-MathF.Abs(x)));
    public Vector256<float> Invoke(Vector256<float> x) => Vector256.Max(x, Vector256<float>.Zero)
        + Vector256.Log(Vector256<float>.One + Vector256.Exp(-Vector256.Abs(x)));
    public Vector512<float> Invoke(Vector512<float> x) => Vector512.Max(x, Vector512<float>.Zero)
        + Vector512.Log(Vector512<float>.One + Vector512.Exp(-Vector512.Abs(x)));
}

/// <summary>dx = y &gt; 0 ? g : slope·g (relu is slope 0).</summary>
internal readonly struct LeakyReluGradOp(float slope) : IBinaryOp
{
    public float Invoke(float y, float g) => y > 0 ? g : slope * g;
    public Vector256<float> Invoke(Vector256<float> y, Vector256<float> g) =>
        Vector256.ConditionalSelect(Vector256.GreaterThan(y, Vector256<float>.Zero), g, g * slope);
    public Vector512<float> Invoke(Vector512<float> y, Vector512<float> g) =>
        Vector512.ConditionalSelect(Vector512.GreaterThan(y, Vector512<float>.Zero), g, g * slope);
}

/// <summary>dx = y &gt; 0 ? g : g·(y + alpha), since for x ≤ 0 the derivative alpha·eˣ equals y + alpha.</summary>
internal readonly struct EluGradOp(float alpha) : IBinaryOp
{
    public float Invoke(float y, float g) => y > 0 ? g : g * (y + alpha);
    public Vector256<float> Invoke(Vector256<float> y, Vector256<float> g) =>
        Vector256.ConditionalSelect(Vector256.GreaterThan(y, Vector256<float>.Zero), g, g * (y + Vector256.Create(alpha)));
    public Vector512<float> Invoke(Vector512<float> y, Vector512<float> g) =>
        Vector512.ConditionalSelect(Vector512.GreaterThan(y, Vector512<float>.Zero), g, g * (y + Vector512.Create(alpha)));
}

/// <summary>dx = g·y·(1 − y).</summary>
internal readonly struct SigmoidGradOp : IBinaryOp
{
    public float Invoke(float y, float g) => g * y * (1f - y);
    public Vector256<float> Invoke(Vector256<float> y, Vector256<float> g) => g * y * (Vector256<float>.One - y);
    public Vector512<float> Invoke(Vector512<float> y, Vector512<float> g) => g * y * (Vector512<float>.One - y);
}

/// <summary>dx = g·(1 − y²).</summary>
internal readonly struct TanhGradOp : IBinaryOp
{
    public float Invoke(float y, float g) => g * (1f - y * y);
    public Vector256<float> Invoke(Vector256<float> y, Vector256<float> g) => g * (Vector256<float>.One - y * y);
    public Vector512<float> Invoke(Vector512<float> y, Vector512<float> g) => g * (Vector512<float>.One - y * y);
}

/// <summary>dx = g·σ(x), with σ evaluated from e^−|x| so that it never overflows.</summary>
internal readonly struct SoftplusGradOp : IBinaryOp
{
    public float Invoke(float x, float g)
    {
        float e = MathF.Exp(-MathF.Abs(x));
        return g * (x >= 0 ? 1f / (1f + e) : e / (1f + e));
    }

    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> g)
    {
        var e = Vector256.Exp(-Vector256.Abs(x));
        var s = Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(x, Vector256<float>.Zero), Vector256<float>.One, e);
        return g * s / (Vector256<float>.One + e);
    }

    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> g)
    {
        var e = Vector512.Exp(-Vector512.Abs(x));
        var s = Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(x, Vector512<float>.Zero), Vector512<float>.One, e);
        return g * s / (Vector512<float>.One + e);
    }
}
