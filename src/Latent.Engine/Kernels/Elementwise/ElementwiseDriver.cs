using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Latent.Engine.Kernels.Elementwise;

/// <summary>A point-wise function of one input; a tiny struct whose methods the JIT inlines into the driver loop.</summary>
internal interface IUnaryOp
{
    float Invoke(float x);
    Vector256<float> Invoke(Vector256<float> x);
    Vector512<float> Invoke(Vector512<float> x);
}

/// <summary>A point-wise function of two inputs of equal length.</summary>
internal interface IBinaryOp
{
    float Invoke(float a, float b);
    Vector256<float> Invoke(Vector256<float> a, Vector256<float> b);
    Vector512<float> Invoke(Vector512<float> a, Vector512<float> b);
}

/// <summary>
/// The one SIMD loop behind every custom element-wise kernel: widest accelerated vectors first, then a
/// scalar tail. Spans must have equal lengths (checked); the output may alias an input exactly (in place),
/// partial overlap is not supported. NaN propagates as the scalar formula of each op says.
/// </summary>
internal static class ElementwiseDriver
{
    public static void Map<TOp>(TOp op, ReadOnlySpan<float> x, Span<float> y) where TOp : struct, IUnaryOp
    {
        if (x.Length != y.Length) throw new ArgumentException($"Lengths differ: input {x.Length}, output {y.Length}.");
        ref float xs = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(x);
        ref float ys = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(y);
        int n = x.Length, i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= n - 16; i += 16)
                op.Invoke(Vector512.LoadUnsafe(ref xs, (nuint)i)).StoreUnsafe(ref ys, (nuint)i);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= n - 8; i += 8)
                op.Invoke(Vector256.LoadUnsafe(ref xs, (nuint)i)).StoreUnsafe(ref ys, (nuint)i);
        }
        for (; i < n; i++) Unsafe.Add(ref ys, i) = op.Invoke(Unsafe.Add(ref xs, i));
    }

    public static void Map<TOp>(TOp op, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y)
        where TOp : struct, IBinaryOp
    {
        if (a.Length != y.Length || b.Length != y.Length)
            throw new ArgumentException($"Lengths differ: inputs {a.Length} and {b.Length}, output {y.Length}.");
        ref float as_ = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(a);
        ref float bs = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(b);
        ref float ys = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(y);
        int n = y.Length, i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= n - 16; i += 16)
                op.Invoke(Vector512.LoadUnsafe(ref as_, (nuint)i), Vector512.LoadUnsafe(ref bs, (nuint)i))
                    .StoreUnsafe(ref ys, (nuint)i);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= n - 8; i += 8)
                op.Invoke(Vector256.LoadUnsafe(ref as_, (nuint)i), Vector256.LoadUnsafe(ref bs, (nuint)i))
                    .StoreUnsafe(ref ys, (nuint)i);
        }
        for (; i < n; i++) Unsafe.Add(ref ys, i) = op.Invoke(Unsafe.Add(ref as_, i), Unsafe.Add(ref bs, i));
    }
}
