using System.Text;
using Latent.Engine;
using Latent.Storage;

namespace Latent.Tests.Storage;

public class SafeTensorsFileTests
{
    private static (string, Tensor)[] Sample() =>
    [
        ("encoder.weight", Tensor.Uniform(new Rng(1), -1f, 1f, 3, 5)),
        ("encoder.bias", Tensor.FromArray([1f, float.NegativeInfinity, -0f], 3)),
        ("scalar", Tensor.Scalar(7f)),
    ];

    [Fact]
    public void RoundTripsTensorsAndMetadataBitExactly()
    {
        using var dir = new TempFolder();
        string path = dir.File("m.safetensors");
        var tensors = Sample();
        SafeTensorsFile.Save(path, tensors, new Dictionary<string, string> { ["k"] = "v \"quoted\"" });
        var content = SafeTensorsFile.Load(path);
        Assert.Equal("v \"quoted\"", content.Metadata["k"]);
        foreach (var (name, t) in tensors)
        {
            Assert.Equal(t.Shape, content.Tensors[name].Shape);
            Assert.Equal(t.ToArray().Select(BitConverter.SingleToInt32Bits), content.Tensors[name].ToArray().Select(BitConverter.SingleToInt32Bits));
        }
        // Saving what was loaded gives the same bytes.
        string again = dir.File("again.safetensors");
        SafeTensorsFile.Save(again, content.Tensors.Select(kv => (kv.Key, kv.Value)).OrderBy(kv => Array.FindIndex(tensors, t => t.Item1 == kv.Key)), content.Metadata);
        Assert.Equal(File.ReadAllBytes(path), File.ReadAllBytes(again));
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp"));
    }

    [Fact]
    public void HeaderFollowsTheFormat()
    {
        using var dir = new TempFolder();
        string path = dir.File("h.safetensors");
        SafeTensorsFile.Save(path, Sample());
        byte[] bytes = File.ReadAllBytes(path);
        long n = BitConverter.ToInt64(bytes, 0);
        Assert.Equal(0, n % 8);
        string header = Encoding.UTF8.GetString(bytes, 8, (int)n);
        Assert.Contains("\"encoder.weight\":{\"dtype\":\"F32\",\"shape\":[3,5],\"data_offsets\":[0,60]}", header);
        Assert.Equal(8 + n + (15 + 3 + 1) * 4, bytes.Length);
    }

    [Fact]
    public void ReadsAFileWrittenByTheReferenceLayout()
    {
        // Written by hand the way Python's safetensors lays files out (no metadata, unpadded header).
        string header = "{\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]},\"a\":{\"dtype\":\"F32\",\"shape\":[1,2],\"data_offsets\":[0,8]}}";
        var bytes = new List<byte>(BitConverter.GetBytes((long)header.Length));
        bytes.AddRange(Encoding.UTF8.GetBytes(header));
        foreach (float v in new[] { 1f, 2f, 3f, 4f }) bytes.AddRange(BitConverter.GetBytes(v));
        using var dir = new TempFolder();
        string path = dir.File("py.safetensors");
        File.WriteAllBytes(path, [.. bytes]);
        var content = SafeTensorsFile.Load(path);
        Assert.Equal([1f, 2f], content.Tensors["a"].ToArray());
        Assert.Equal([3f, 4f], content.Tensors["b"].ToArray());
    }

    public static TheoryData<string, string> CorruptFiles => new()
    {
        { "truncated", "truncated" },
        { "short", "shorter than" },
        { "huge-header", "header claims" },
        { "not-json", "not valid JSON" },
        { "f16", "dtype" },
        { "garbage-after", "unexpected bytes" },
    };

    [Theory, MemberData(nameof(CorruptFiles))]
    public void RefusesCorruptFilesWithAClearMessage(string kind, string expected)
    {
        using var dir = new TempFolder();
        string path = dir.File("x.safetensors");
        SafeTensorsFile.Save(path, Sample());
        byte[] good = File.ReadAllBytes(path);
        byte[] bad = kind switch
        {
            "truncated" => good[..^5],
            "short" => good[..5],
            "huge-header" => [.. BitConverter.GetBytes(long.MaxValue / 2), .. good[8..]],
            "not-json" => [.. good[..8], .. Enumerable.Repeat((byte)'x', (int)BitConverter.ToInt64(good, 0)), .. good[(8 + (int)BitConverter.ToInt64(good, 0))..]],
            "f16" => Encoding.Latin1.GetBytes(Encoding.Latin1.GetString(good).Replace("\"F32\"", "\"F16\"")),
            _ => [.. good, 1, 2, 3, 4],
        };
        File.WriteAllBytes(path, bad);
        var e = Assert.Throws<InvalidDataException>(() => SafeTensorsFile.Load(path));
        Assert.Contains(expected, e.Message);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void FailedSaveLeavesTheOldFileAndNoTemporary()
    {
        using var dir = new TempFolder();
        string path = dir.File("keep.safetensors");
        File.WriteAllText(path, "old");
        Assert.ThrowsAny<Exception>(() => SafeTensorsFile.Save(path, [("a", Tensor.Zeros(2)), ("a", Tensor.Zeros(2))]));
        Assert.ThrowsAny<Exception>(() => AtomicFile.Write(path, _ => throw new IOException("disk full")));
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(dir.Path));
    }
}
