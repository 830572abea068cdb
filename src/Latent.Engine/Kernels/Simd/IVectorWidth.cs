namespace Latent.Engine.Kernels.Simd;

/// <summary>
/// The float operations of a SIMD loop at one vector width, so that the loop is written once, as a generic method over
/// <c>TWidth : struct, IVectorWidth&lt;TVector&gt;</c>, and called with <see cref="Vector512Width"/>,
/// <see cref="Vector256Width"/> or <see cref="ScalarWidth"/>. The JIT compiles such a method once per struct and inlines
/// these one-line members, so each copy is the code a loop written against that width's vector type would give.
/// </summary>
/// <remarks>
/// A stand-in for the runtime's <c>ISimdVector&lt;TSelf, T&gt;</c>, which .NET 10 keeps internal. Arithmetic follows
/// IEEE 754 per lane, as <see cref="System.Runtime.Intrinsics.Vector512"/> does: NaN propagates, and compares with NaN are
/// false. Loads and stores are unaligned and unchecked: the caller guarantees <see cref="Count"/> floats at the address.
/// </remarks>
/// <typeparam name="TVector">The vector type of this width (<see cref="float"/> for one lane).</typeparam>
internal unsafe interface IVectorWidth<TVector> where TVector : struct
{
    /// <summary>Floats per vector.</summary>
    static abstract int Count { get; }

    static abstract TVector Load(float* source);

    /// <summary>The vector at <paramref name="source"/> + <paramref name="offset"/> floats.</summary>
    static abstract TVector LoadUnsafe(ref float source, nuint offset);

    static abstract void Store(TVector value, float* destination);

    /// <summary>Every lane set to <paramref name="value"/>.</summary>
    static abstract TVector Create(float value);

    static abstract TVector Subtract(TVector left, TVector right);

    static abstract TVector Multiply(TVector left, TVector right);

    static abstract TVector Negate(TVector value);

    /// <summary>a·b + addend per lane, rounded once.</summary>
    static abstract TVector FusedMultiplyAdd(TVector a, TVector b, TVector addend);

    /// <summary>The sum of the lanes, in the order of that width's <c>Sum</c>.</summary>
    static abstract float Sum(TVector value);

    /// <summary>A mask with bit i set where left[i] ≤ right[i].</summary>
    static abstract ulong LessThanOrEqualBits(TVector left, TVector right);

    static abstract float GetElement(TVector value, int index);
}
