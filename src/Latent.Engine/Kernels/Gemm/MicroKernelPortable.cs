using System.Numerics;
using System.Runtime.CompilerServices;

namespace Latent.Engine.Kernels.Gemm;

/// <summary>
/// 4×(2·W) micro-kernel on <see cref="Vector{T}"/> (W lanes, whatever the hardware offers; scalar
/// where nothing is accelerated). Multiply then add, not fused, so it is exact to the same rule everywhere.
/// </summary>
internal readonly unsafe struct MicroKernelPortable : IMicroKernel
{
    public static int MR => 4;
    public static int NR => 2 * Vector<float>.Count;

    /// <summary>The whole tile: this kernel's tile is narrow enough that a half-width variant would not pay.</summary>
    public static void RunLeftHalf(int kc, float* a, float* b, float* c, nint ldc, bool add) => Run(kc, a, b, c, ldc, add);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int kc, float* a, float* b, float* c, nint ldc, bool add)
    {
        int w = Vector<float>.Count;
        Vector<float> c00 = default, c01 = default, c10 = default, c11 = default;
        Vector<float> c20 = default, c21 = default, c30 = default, c31 = default;

        for (int p = 0; p < kc; p++)
        {
            var b0 = Unsafe.ReadUnaligned<Vector<float>>(b);
            var b1 = Unsafe.ReadUnaligned<Vector<float>>(b + w);
            var ai = new Vector<float>(a[0]);
            c00 += ai * b0;
            c01 += ai * b1;
            ai = new Vector<float>(a[1]);
            c10 += ai * b0;
            c11 += ai * b1;
            ai = new Vector<float>(a[2]);
            c20 += ai * b0;
            c21 += ai * b1;
            ai = new Vector<float>(a[3]);
            c30 += ai * b0;
            c31 += ai * b1;
            a += 4;
            b += 2 * w;
        }

        Store(c, w, c00, c01, add);
        Store(c + ldc, w, c10, c11, add);
        Store(c + 2 * ldc, w, c20, c21, add);
        Store(c + 3 * ldc, w, c30, c31, add);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* row, int w, Vector<float> v0, Vector<float> v1, bool add)
    {
        if (add)
        {
            v0 += Unsafe.ReadUnaligned<Vector<float>>(row);
            v1 += Unsafe.ReadUnaligned<Vector<float>>(row + w);
        }
        Unsafe.WriteUnaligned(row, v0);
        Unsafe.WriteUnaligned(row + w, v1);
    }
}
