using System.Numerics;

namespace Latent.Engine;

/// <summary>
/// Recycles tensor storage so that a training step, after warm-up, allocates (almost) nothing on the
/// managed heap. Arrays come in power-of-two sizes; kernels that need raw pointers pin them with
/// <c>fixed</c> for the duration of a call. Thread-safe.
/// </summary>
internal static class TensorPool
{
    private const int MinBucketLog = 4;          // 16 floats: a single zmm register
    private const int MaxKeptPerBucket = 64;     // beyond this, returned arrays are left to the GC
    // Larger requests get an array of exactly their size, never kept: rounding a whole data set (a 60000 × 1568
    // training table, 376 MB) up to a power of two would waste up to half of it, and keeping one would hold it
    // for the life of the process. Steps rarely need arrays this large, so they are rarely allocated.
    private const int MaxPooledLength = 1 << 24;
    private static readonly Stack<float[]>[] Buckets = CreateBuckets();

    /// <summary>An array of at least <paramref name="length"/> floats with unspecified contents.</summary>
    public static float[] Rent(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (length > MaxPooledLength) return GC.AllocateUninitializedArray<float>(length);
        int log = BucketLog(length);
        Stack<float[]> bucket = Buckets[log];
        lock (bucket)
        {
            if (bucket.Count > 0) return bucket.Pop();
        }
        return GC.AllocateUninitializedArray<float>(1 << log);
    }

    /// <summary>Gives an array obtained from <see cref="Rent"/> back; the caller must not use it afterwards.</summary>
    public static void Return(float[] array)
    {
        int log = BitOperations.Log2((uint)array.Length);
        if (array.Length != 1 << log || log < MinBucketLog || array.Length > MaxPooledLength) return; // not ours, or too large to keep
        Stack<float[]> bucket = Buckets[log];
        lock (bucket)
        {
            if (bucket.Count < MaxKeptPerBucket) bucket.Push(array);
        }
    }

    private static int BucketLog(int length) =>
        Math.Max(MinBucketLog, length <= 1 ? 0 : BitOperations.Log2((uint)(length - 1)) + 1);

    private static Stack<float[]>[] CreateBuckets()
    {
        var buckets = new Stack<float[]>[32];
        for (int i = 0; i < buckets.Length; i++) buckets[i] = new Stack<float[]>();
        return buckets;
    }
}
