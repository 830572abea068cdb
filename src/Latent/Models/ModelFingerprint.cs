using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Latent.Engine;
namespace Latent.Models;

/// <summary>
/// Identifies a model by what it is, not by what it outputs: SHA-256 over what its model file holds except the training
/// summary — kind, configuration, scaling, data description (metadata in key order) and every tensor (name, shape,
/// float32 little-endian bytes). The same model gives the same fingerprint on every machine, whether it was just trained
/// or opened from its file; any change to a weight gives another. Works for every kind that Latent saves.
/// </summary>
public static class ModelFingerprint
{
    /// <summary>The fingerprint of <paramref name="model"/> as 64 hex digits.</summary>
    /// <exception cref="ArgumentException">The model is not one of Latent's (it cannot be saved, so it cannot be fingerprinted).</exception>
    public static string Of(object model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model is not ISavedModel saved)
            throw new ArgumentException($"A {model.GetType().Name} cannot be fingerprinted: only Latent's own models (those it saves) can.", nameof(model));
        ModelContent content = saved.Content();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Text(string text)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(text);
            Span<byte> length = stackalloc byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(length, bytes.Length);
            hash.AppendData(length);
            hash.AppendData(bytes);
        }
        Text("latent-fingerprint-2");
        foreach (var (key, value) in content.Metadata.Where(m => m.Key != ModelFile.TrainingKey).OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            Text(key);
            Text(value);
        }
        var buffer = new byte[4096];
        foreach (var (name, tensor) in content.Tensors)
        {
            Text($"{name}[{string.Join(',', tensor.Shape)}]");
            ReadOnlySpan<float> values = tensor.Span;
            for (int start = 0; start < values.Length; start += buffer.Length / sizeof(float))
            {
                int n = Math.Min(buffer.Length / sizeof(float), values.Length - start);
                for (int i = 0; i < n; i++) BinaryPrimitives.WriteSingleLittleEndian(buffer.AsSpan(i * sizeof(float)), values[start + i]);
                hash.AppendData(buffer, 0, n * sizeof(float));
            }
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
