namespace Latent.Engine.Kernels.Gemm;

/// <summary>
/// The packing buffers of the current thread (see <see cref="NativeBuffer"/>), reused by every later product on
/// that thread, so a warm GEMM allocates nothing.
/// </summary>
internal sealed unsafe class GemmBuffers
{
    [ThreadStatic] private static GemmBuffers? _current;

    private readonly NativeBuffer _a = new(), _b = new();

    public static GemmBuffers Current => _current ??= new GemmBuffers();

    /// <summary>A buffer of at least <paramref name="floats"/> floats for packed A (contents undefined).</summary>
    public float* A(nint floats) => _a.Ensure(floats);

    /// <summary>A buffer of at least <paramref name="floats"/> floats for packed B (contents undefined).</summary>
    public float* B(nint floats) => _b.Ensure(floats);
}
