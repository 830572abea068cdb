using System.Runtime.InteropServices;

namespace Latent.Engine.Kernels.Gemm;

/// <summary>
/// The packing buffers of the current thread: 64-byte aligned native memory that grows on demand and is
/// reused by every later product on that thread, so a warm GEMM allocates nothing. Freed by the finalizer
/// once the thread has ended.
/// </summary>
internal sealed unsafe class GemmBuffers
{
    [ThreadStatic] private static GemmBuffers? _current;

    private float* _a, _b;
    private nint _aLength, _bLength;

    public static GemmBuffers Current => _current ??= new GemmBuffers();

    /// <summary>A buffer of at least <paramref name="floats"/> floats for packed A (contents undefined).</summary>
    public float* A(nint floats) => Ensure(ref _a, ref _aLength, floats);

    /// <summary>A buffer of at least <paramref name="floats"/> floats for packed B (contents undefined).</summary>
    public float* B(nint floats) => Ensure(ref _b, ref _bLength, floats);

    private static float* Ensure(ref float* buffer, ref nint length, nint floats)
    {
        if (floats <= length) return buffer;
        NativeMemory.AlignedFree(buffer);
        buffer = null;
        length = 0;
        buffer = (float*)NativeMemory.AlignedAlloc((nuint)floats * sizeof(float), 64);
        length = floats;
        return buffer;
    }

    ~GemmBuffers()
    {
        NativeMemory.AlignedFree(_a);
        NativeMemory.AlignedFree(_b);
    }
}
