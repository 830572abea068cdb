namespace Latent.Engine.Kernels.Gemm;

/// <summary>
/// A register-blocked GEMM micro-kernel: multiplies one packed MR-row sliver of A by one packed NR-column
/// panel of B into an MR×NR tile of C. Implemented by small structs so that the blocked driver is specialised
/// (and MR, NR become constants) for each kernel.
/// </summary>
internal unsafe interface IMicroKernel
{
    /// <summary>Rows of the C tile.</summary>
    static abstract int MR { get; }

    /// <summary>Columns of the C tile.</summary>
    static abstract int NR { get; }

    /// <summary>
    /// tile = (add ? tile : 0) + Σₚ a[p]ᵀ·b[p] for p &lt; kc, where a holds MR floats per p (a packed sliver),
    /// b holds NR floats per p (a packed panel) and the tile starts at <paramref name="c"/> with row stride
    /// <paramref name="ldc"/>. kc ≥ 1. The whole MR×NR tile is read (when adding) and written.
    /// </summary>
    static abstract void Run(int kc, float* a, float* b, float* c, nint ldc, bool add);

    /// <summary>
    /// <see cref="Run"/> for at least the tile's first NR/2 columns (the rest of the tile may be left untouched), each
    /// summed exactly as <see cref="Run"/> sums it: for edge tiles of C at most half a panel wide.
    /// </summary>
    static abstract void RunLeftHalf(int kc, float* a, float* b, float* c, nint ldc, bool add);
}
