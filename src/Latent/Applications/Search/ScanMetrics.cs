using System.Runtime.Intrinsics;

namespace Latent.Applications.Search;

/// <summary>
/// One metric of a panel scan: how a value of a code and of the query add to a running sum, and how the sum
/// becomes a score where smaller is nearer. NaN in (an empty slot) gives a NaN score, which no heap keeps.
/// </summary>
internal interface IScanMetric
{
    static abstract float Accumulate(float sum, float x, float q);
    static abstract Vector256<float> Accumulate(Vector256<float> sum, Vector256<float> x, Vector256<float> q);
    static abstract Vector512<float> Accumulate(Vector512<float> sum, Vector512<float> x, Vector512<float> q);
    static abstract float Score(float sum, float inverseNorm);
    static abstract Vector256<float> Score(Vector256<float> sum, Vector256<float> inverseNorm);
    static abstract Vector512<float> Score(Vector512<float> sum, Vector512<float> inverseNorm);
}

/// <summary>Score = Σ (x − q)², the squared Euclidean distance.</summary>
internal readonly struct SquaredEuclideanScan : IScanMetric
{
    public static float Accumulate(float sum, float x, float q) => MathF.FusedMultiplyAdd(x - q, x - q, sum);
    public static Vector256<float> Accumulate(Vector256<float> sum, Vector256<float> x, Vector256<float> q) => Vector256.FusedMultiplyAdd(x - q, x - q, sum);
    public static Vector512<float> Accumulate(Vector512<float> sum, Vector512<float> x, Vector512<float> q) => Vector512.FusedMultiplyAdd(x - q, x - q, sum);
    public static float Score(float sum, float inverseNorm) => sum;
    public static Vector256<float> Score(Vector256<float> sum, Vector256<float> inverseNorm) => sum;
    public static Vector512<float> Score(Vector512<float> sum, Vector512<float> inverseNorm) => sum;
}

/// <summary>Score = −(x·q)/‖x‖ for a unit query q: cosine distance minus 1.</summary>
internal readonly struct NegativeCosineScan : IScanMetric
{
    public static float Accumulate(float sum, float x, float q) => MathF.FusedMultiplyAdd(x, q, sum);
    public static Vector256<float> Accumulate(Vector256<float> sum, Vector256<float> x, Vector256<float> q) => Vector256.FusedMultiplyAdd(x, q, sum);
    public static Vector512<float> Accumulate(Vector512<float> sum, Vector512<float> x, Vector512<float> q) => Vector512.FusedMultiplyAdd(x, q, sum);
    public static float Score(float sum, float inverseNorm) => -(sum * inverseNorm);
    public static Vector256<float> Score(Vector256<float> sum, Vector256<float> inverseNorm) => -(sum * inverseNorm);
    public static Vector512<float> Score(Vector512<float> sum, Vector512<float> inverseNorm) => -(sum * inverseNorm);
}
