using System.Runtime.CompilerServices;
using Latent.Engine.Kernels.Simd;

namespace Latent.Applications.Search;

/// <summary>
/// One metric of a panel scan: how a value of a code and of the query add to a running sum, and how the sum
/// becomes a score where smaller is nearer; lane by lane, at any vector width (one lane included). NaN in (an empty
/// slot) gives a NaN score, which no heap keeps.
/// </summary>
internal interface IScanMetric
{
    /// <summary>sum + the term of x and q, per lane, with one rounding (a fused multiply-add).</summary>
    static abstract TVector Accumulate<TWidth, TVector>(TVector sum, TVector x, TVector q)
        where TWidth : struct, IVectorWidth<TVector> where TVector : struct;

    /// <summary>The score of each lane's sum; inverseNorm is 1/‖x‖ of the lane's code.</summary>
    static abstract TVector Score<TWidth, TVector>(TVector sum, TVector inverseNorm)
        where TWidth : struct, IVectorWidth<TVector> where TVector : struct;

    /// <summary>The term of one value, rounded on its own: what <see cref="PairDistance"/> adds past its last whole vector.</summary>
    static abstract float Term(float x, float q);
}

/// <summary>Score = Σ (x − q)², the squared Euclidean distance.</summary>
internal readonly struct SquaredEuclideanScan : IScanMetric
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVector Accumulate<TWidth, TVector>(TVector sum, TVector x, TVector q)
        where TWidth : struct, IVectorWidth<TVector> where TVector : struct
    {
        TVector d = TWidth.Subtract(x, q);
        return TWidth.FusedMultiplyAdd(d, d, sum);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVector Score<TWidth, TVector>(TVector sum, TVector inverseNorm)
        where TWidth : struct, IVectorWidth<TVector> where TVector : struct => sum;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Term(float x, float q) => (x - q) * (x - q);
}

/// <summary>Score = −(x·q)/‖x‖ for a unit query q: cosine distance minus 1.</summary>
internal readonly struct NegativeCosineScan : IScanMetric
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVector Accumulate<TWidth, TVector>(TVector sum, TVector x, TVector q)
        where TWidth : struct, IVectorWidth<TVector> where TVector : struct => TWidth.FusedMultiplyAdd(x, q, sum);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVector Score<TWidth, TVector>(TVector sum, TVector inverseNorm)
        where TWidth : struct, IVectorWidth<TVector> where TVector : struct => TWidth.Negate(TWidth.Multiply(sum, inverseNorm));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Term(float x, float q) => x * q;
}
