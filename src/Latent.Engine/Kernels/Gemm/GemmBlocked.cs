using System.Runtime.CompilerServices;

namespace Latent.Engine.Kernels.Gemm;

/// <summary>
/// The single-threaded Goto/BLIS loop nest around a micro-kernel: for each NC-column block of C and each
/// KC-deep slice of K, pack that slice of B into NR-column panels; for each MC-row block, pack A into MR-row
/// slivers and sweep the block tile by tile. Panels of B stay in L2/L3, slivers of A in L1.
/// </summary>
internal static unsafe class GemmBlocked
{
    /// <summary>Depth of one packed slice of K. 128 to 384 measured the same here (GEMM-NOTES.md).</summary>
    public const int KC = 256;

    /// <summary>Rows of A packed at once (MC×KC floats = 128 KiB, well inside L2).</summary>
    public const int MC = 128;

    /// <summary>Columns of B packed at once (KC×NC floats = 2 MiB, shared L3).</summary>
    public const int NC = 2048;

    /// <summary>Computes <paramref name="p"/> on the calling thread with micro-kernel <typeparamref name="TKernel"/>. Requires K ≥ 1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<TKernel>(in GemmProblem p) where TKernel : struct, IMicroKernel
    {
        int mr = TKernel.MR, nr = TKernel.NR;
        // Equal slices of at most KC (784 = 4 × 196, not 3 × 256 + 16): a thin last slice would pay a full
        // load and store of C for a few FMAs. Depends on K only, so the summation order stays split-independent.
        int slices = (p.K + KC - 1) / KC;
        int kcMax = (p.K + slices - 1) / slices;
        GemmBuffers buffers = GemmBuffers.Current;
        float* packA = buffers.A((nint)RoundUp(Math.Min(MC, p.M), mr) * kcMax);
        float* packB = buffers.B((nint)RoundUp(Math.Min(NC, p.N), nr) * kcMax);
        float* edge = stackalloc float[mr * nr];

        for (int jc = 0; jc < p.N; jc += NC)
        {
            int nc = Math.Min(NC, p.N - jc);
            for (int pc = 0; pc < p.K; pc += kcMax)
            {
                int kc = Math.Min(kcMax, p.K - pc);
                bool add = p.Accumulate || pc > 0;
                bool last = pc + kc == p.K;
                GemmPacking.PackB(kc, nc, nr, p.BAt(pc, jc), p.Ldb, p.TransB, packB);
                for (int ic = 0; ic < p.M; ic += MC)
                {
                    int mc = Math.Min(MC, p.M - ic);
                    GemmPacking.PackA(mc, kc, mr, p.AAt(ic, pc), p.Lda, p.TransA, packA);
                    Block<TKernel>(mc, nc, kc, packA, packB, p.C + ic * p.Ldc + jc, p.Ldc, add, edge);
                    if (last) p.ApplyEpilogue(ic, ic + mc, jc, jc + nc);
                }
            }
        }
    }

    /// <summary>One packed mc×kc block of A times one packed kc×nc block of B into C, tile by tile.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Block<TKernel>(int mc, int nc, int kc, float* packA, float* packB, float* c, nint ldc,
        bool add, float* edge) where TKernel : struct, IMicroKernel
    {
        int mr = TKernel.MR, nr = TKernel.NR;
        for (int jr = 0; jr < nc; jr += nr)
        {
            float* panel = packB + (nint)jr * kc;
            int columns = Math.Min(nr, nc - jr);
            for (int ir = 0; ir < mc; ir += mr)
            {
                float* sliver = packA + (nint)ir * kc;
                float* tile = c + ir * ldc + jr;
                int rows = Math.Min(mr, mc - ir);
                if (rows == mr && columns == nr)
                {
                    TKernel.Run(kc, sliver, panel, tile, ldc, add);
                }
                else
                {
                    // Edge tile: compute it into scratch (half of it when that covers the columns), then write only
                    // the part inside C.
                    if (columns <= nr / 2) TKernel.RunLeftHalf(kc, sliver, panel, edge, nr, add: false);
                    else TKernel.Run(kc, sliver, panel, edge, nr, add: false);
                    CopyEdge(edge, nr, tile, ldc, rows, columns, add);
                }
            }
        }
    }

    private static void CopyEdge(float* edge, int nr, float* c, nint ldc, int rows, int columns, bool add)
    {
        for (int i = 0; i < rows; i++, edge += nr, c += ldc)
        {
            if (add) for (int j = 0; j < columns; j++) c[j] += edge[j];
            else for (int j = 0; j < columns; j++) c[j] = edge[j];
        }
    }

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;
}
