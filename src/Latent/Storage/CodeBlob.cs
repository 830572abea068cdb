using System.Buffers.Binary;

namespace Latent.Storage;

/// <summary>Codes as database BLOBs: float32 little-endian, the byte order of safetensors, whatever the machine.</summary>
internal static class CodeBlob
{
    public static byte[] ToBytes(ReadOnlySpan<float> code)
    {
        var bytes = new byte[code.Length * sizeof(float)];
        for (int i = 0; i < code.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), code[i]);
        return bytes;
    }

    /// <exception cref="InvalidDataException">The BLOB does not hold <paramref name="codeSize"/> floats.</exception>
    public static float[] FromBytes(byte[] bytes, int codeSize, string id, string location)
    {
        if (bytes.Length != codeSize * sizeof(float))
            throw new InvalidDataException($"The index '{location}' is damaged: item '{id}' has a code of {bytes.Length} bytes, but its codes have {codeSize} values ({codeSize * sizeof(float)} bytes).");
        var code = new float[codeSize];
        for (int i = 0; i < codeSize; i++) code[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * sizeof(float)));
        return code;
    }
}
