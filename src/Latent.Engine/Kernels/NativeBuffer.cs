using System.Runtime.InteropServices;

namespace Latent.Engine.Kernels;

/// <summary>
/// A 64-byte aligned native float buffer that grows on demand and is reused by every later call: kernels keep one
/// per thread ([ThreadStatic]) for their scratch, so a warm call allocates nothing and a thread's scratch stays in
/// its own core's cache (scratch from the shared <see cref="TensorPool"/> may come back from a thread on another
/// core, and writing it first moves every line across). Freed by the finalizer once its thread has ended.
/// </summary>
internal sealed unsafe class NativeBuffer
{
    private float* _data;
    private nint _length;

    /// <summary>At least <paramref name="floats"/> floats (contents undefined; earlier pointers become invalid when it grows).</summary>
    public float* Ensure(nint floats)
    {
        if (floats <= _length) return _data;
        Release();
        _data = (float*)NativeMemory.AlignedAlloc((nuint)Math.Max(floats, 1) * sizeof(float), 64);
        _length = floats;
        return _data;
    }

    /// <summary>Frees the memory now (the next <see cref="Ensure"/> allocates again).</summary>
    public void Release()
    {
        NativeMemory.AlignedFree(_data);
        _data = null;
        _length = 0;
    }

    ~NativeBuffer() => NativeMemory.AlignedFree(_data);
}
