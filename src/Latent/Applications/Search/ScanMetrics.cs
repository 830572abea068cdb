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
    static abstract TVector Accumulate<TWidth, TVector>(TVector sum, TVector x, TVector q)
        where TWidth : struct, IVectorWidth<TVector> where TVector : struct;

    static abstract TVector Score<TWidth, TVector>(TVector sum, TVector inverseNorm)
        where TWidth : struct, IVectorWidth<TVector> where TVector : struct;
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
}
