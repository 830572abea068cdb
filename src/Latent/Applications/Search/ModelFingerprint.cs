using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Latent.Engine;
using Latent.Models;
using Latent.Training;

namespace Latent.Applications.Search;

/// <summary>
/// Identifies an encoder by what it is, not by what it outputs: SHA-256 over the model's kind, configuration,
/// column scaling and every parameter tensor (name, shape, float32 little-endian bytes). The same model gives the
/// same fingerprint on every machine, whether it was just trained or loaded from its file; any change to a weight
/// gives another.
/// </summary>
public static class ModelFingerprint
{
    /// <summary>The fingerprint of <paramref name="model"/> as 64 hex digits.</summary>
    /// <exception cref="ArgumentException">The model is not one of Latent's (its parameters cannot be read).</exception>
    public static string Of(IAutoencoder model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model is not ITrainable trainable)
            throw new ArgumentException($"A {model.GetType().Name} cannot be fingerprinted: an index needs one of Latent's own models.", nameof(model));
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Text(string text)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(text);
            Span<byte> length = stackalloc byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(length, bytes.Length);
            hash.AppendData(length);
            hash.AppendData(bytes);
        }
        Text("latent-fingerprint-1");
        Text(model.GetType().FullName ?? model.GetType().Name);
        Text($"{model.Inputs}:{model.CodeSize}");
        Text(model is DenseAutoencoder dense ? JsonSerializer.Serialize(dense.Config, ModelFile.Json) : "");
        Text(model is DenseAutoencoder { Scaler: { } scaler } ? scaler.ToJson() : "");
        var buffer = new byte[4096];
        foreach (var (name, tensor) in trainable.Network.NamedTensors())
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
