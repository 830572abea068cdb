using System.Runtime.InteropServices;
using Latent.Engine;

namespace Latent.Tests.Storage;

/// <summary>Rows as raw little-endian float32 files, the form the ONNX and PyTorch scripts read and write, and the comparison of results.</summary>
internal static class RawRows
{
    public static string Write(string path, Tensor rows)
    {
        File.WriteAllBytes(path, MemoryMarshal.AsBytes(rows.Span).ToArray());
        return path;
    }

    public static float[] Read(string path) => MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(path)).ToArray();

    /// <summary>Asserts that <paramref name="actual"/> is <paramref name="expected"/> within <paramref name="tolerance"/> of its largest magnitude.</summary>
    public static void AssertClose(float[] expected, float[] actual, float tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        float scale = Math.Max(expected.Max(MathF.Abs), 1e-6f), worst = 0;
        for (int i = 0; i < expected.Length; i++) worst = Math.Max(worst, MathF.Abs(expected[i] - actual[i]) / scale);
        Assert.True(worst <= tolerance, $"{what}: relative difference {worst:G3} > {tolerance:G3}");
    }
}
