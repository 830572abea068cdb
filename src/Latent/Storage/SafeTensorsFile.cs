using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Latent.Engine;

namespace Latent.Storage;

/// <summary>The tensors and the string metadata of a safetensors file.</summary>
public sealed record SafeTensorsContent(IReadOnlyDictionary<string, Tensor> Tensors, IReadOnlyDictionary<string, string> Metadata);

/// <summary>
/// Reads and writes the safetensors format (Hugging Face): an 8-byte little-endian header length, a JSON
/// header mapping each name to {dtype, shape, data_offsets} plus an optional "__metadata__" object of
/// strings, then the raw little-endian data. Files written here load in Python's <c>safetensors</c> and
/// vice versa. Saves are atomic: a temporary file in the same folder is renamed over the target, so a
/// failure never leaves a half-written file.
/// </summary>
public static class SafeTensorsFile
{
    private const long MaxHeaderBytes = 100L << 20;   // the reference implementation's limit

    /// <summary>Writes the named tensors and string metadata as a safetensors file, atomically.</summary>
    public static void Save(string path, IEnumerable<(string Name, Tensor Tensor)> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var list = tensors.ToList();
        var header = new Dictionary<string, object>(StringComparer.Ordinal);
        if (metadata is { Count: > 0 }) header["__metadata__"] = metadata;
        long offset = 0;
        foreach (var (name, tensor) in list)
        {
            if (name == "__metadata__" || header.ContainsKey(name)) throw new ArgumentException($"Tensor name '{name}' is reserved or used twice.");
            long bytes = tensor.Length * 4L;
            header[name] = new { dtype = "F32", shape = tensor.Shape, data_offsets = new[] { offset, offset + bytes } };
            offset += bytes;
        }
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(header);
        int padded = (json.Length + 7) / 8 * 8;   // keep the data 8-byte aligned, as the reference writer does

        AtomicFile.Write(path, stream =>
        {
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)padded);
            stream.Write(length);
            stream.Write(json);
            for (int i = json.Length; i < padded; i++) stream.WriteByte((byte)' ');
            foreach (var (_, tensor) in list)
            {
                if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("Saving needs a little-endian machine.");
                stream.Write(MemoryMarshal.AsBytes(tensor.Span));
            }
        });
    }

    /// <summary>Reads a safetensors file (float32 tensors).</summary>
    public static SafeTensorsContent Load(string path)
    {
        InputFile.Check(path, "model file");
        using var stream = File.OpenRead(path);
        long fileLength = stream.Length;
        if (fileLength < 8) throw Corrupt(path, "it is shorter than the 8-byte header length");
        Span<byte> lengthBytes = stackalloc byte[8];
        stream.ReadExactly(lengthBytes);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
        if (headerLength > (ulong)Math.Min(MaxHeaderBytes, fileLength - 8))
            throw Corrupt(path, $"its header claims {headerLength} bytes but the file has {fileLength - 8} after the length field");
        var headerBytes = new byte[headerLength];
        stream.ReadExactly(headerBytes);

        JsonElement root;
        try
        {
            root = JsonDocument.Parse(headerBytes).RootElement;
        }
        catch (JsonException)
        {
            throw Corrupt(path, "its header is not valid JSON");
        }
        if (root.ValueKind != JsonValueKind.Object) throw Corrupt(path, "its header is not a JSON object");

        long dataLength = fileLength - 8 - (long)headerLength;
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var entries = new List<(string Name, int[] Shape, long Begin, long End)>();
        foreach (JsonProperty property in root.EnumerateObject())
        {
            if (property.Name == "__metadata__")
            {
                if (property.Value.ValueKind != JsonValueKind.Object) throw Corrupt(path, "its __metadata__ is not an object");
                foreach (JsonProperty m in property.Value.EnumerateObject())
                    metadata[m.Name] = m.Value.ValueKind == JsonValueKind.String ? m.Value.GetString()! : throw Corrupt(path, $"metadata '{m.Name}' is not a string");
                continue;
            }
            entries.Add(ParseEntry(path, property, dataLength));
        }

        entries.Sort((a, b) => a.Begin.CompareTo(b.Begin));
        long expected = 0;
        foreach (var e in entries)
        {
            if (e.Begin != expected) throw Corrupt(path, $"tensor '{e.Name}' does not follow the previous one in the data (gap or overlap)");
            expected = e.End;
        }
        if (expected != dataLength)
            throw Corrupt(path, expected > dataLength ? "it is truncated" : $"it has {dataLength - expected} unexpected bytes after the last tensor");

        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var e in entries)
        {
            var tensor = Tensor.Zeros(e.Shape);
            stream.Position = 8 + (long)headerLength + e.Begin;
            stream.ReadExactly(MemoryMarshal.AsBytes(tensor.Span));
            if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("Loading needs a little-endian machine.");
            tensors[e.Name] = tensor;
        }
        return new SafeTensorsContent(tensors, metadata);
    }

    private static (string, int[], long, long) ParseEntry(string path, JsonProperty property, long dataLength)
    {
        string name = property.Name;
        JsonElement v = property.Value;
        if (v.ValueKind != JsonValueKind.Object
            || !v.TryGetProperty("dtype", out JsonElement dtype) || !v.TryGetProperty("shape", out JsonElement shape)
            || !v.TryGetProperty("data_offsets", out JsonElement offsets)
            || shape.ValueKind != JsonValueKind.Array || offsets.ValueKind != JsonValueKind.Array || offsets.GetArrayLength() != 2)
            throw Corrupt(path, $"the entry for tensor '{name}' is malformed");
        if (dtype.GetString() != "F32")
            throw new InvalidDataException($"'{path}': tensor '{name}' has dtype {dtype} but Latent reads only F32 (float32) tensors.");
        var dims = new int[shape.GetArrayLength()];
        long count = 1;
        int i = 0;
        foreach (JsonElement d in shape.EnumerateArray())
        {
            if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt32(out int size) || size < 0) throw Corrupt(path, $"tensor '{name}' has an invalid shape");
            dims[i++] = size;
            count *= size;
            if (count > int.MaxValue) throw Corrupt(path, $"tensor '{name}' is too large");
        }
        if (!offsets[0].TryGetInt64(out long begin) || !offsets[1].TryGetInt64(out long end) || begin < 0 || end < begin || end > dataLength)
            throw Corrupt(path, $"tensor '{name}' has data offsets outside the file (the file may be truncated)");
        if (end - begin != count * 4) throw Corrupt(path, $"tensor '{name}' has {end - begin} bytes of data for {count} float32 values");
        return (name, dims, begin, end);
    }

    private static InvalidDataException Corrupt(string path, string problem) =>
        new($"'{path}' is not a valid safetensors file: {problem}.");
}
