using System.Buffers.Binary;
using System.Diagnostics;
using Latent.Data;

namespace Latent.Tests.Data;

public class IdxFileTests
{
    public static TheoryData<IdxElementType, double[], bool> EveryType()
    {
        var data = new TheoryData<IdxElementType, double[], bool>();
        var samples = new (IdxElementType, double[])[]
        {
            (IdxElementType.UnsignedByte, [0, 1, 127, 128, 200, 255]),
            (IdxElementType.SignedByte, [-128, -1, 0, 1, 100, 127]),
            (IdxElementType.Int16, [short.MinValue, -2, 0, 300, 4097, short.MaxValue]),
            (IdxElementType.Int32, [int.MinValue, -5, 0, 70_000, 16_777_217, int.MaxValue]),
            (IdxElementType.Single, [-1.5, 0, 3.25e10, 1e-30, float.MaxValue, -7.125]),
            (IdxElementType.Double, [-1e300, 0.1, Math.PI, 1e-300, double.MaxValue, -0.0]),
        };
        foreach (var (type, values) in samples)
            foreach (bool gzip in new[] { false, true })
                data.Add(type, values, gzip);
        return data;
    }

    [Theory]
    [MemberData(nameof(EveryType))]
    public void ReadsEveryElementTypeRawAndGzip(IdxElementType type, double[] values, bool gzip)
    {
        using var dir = new TempFolder();
        string path = IdxTestFiles.Write(dir.File("a.idx"), type, [2, 3], values, gzip);

        IdxFile idx = IdxFile.Read(path);

        Assert.Equal(type, idx.ElementType);
        Assert.Equal([2, 3], idx.Shape);
        Assert.Equal(6, idx.ElementCount);
        double[] expected = type == IdxElementType.Single ? [.. values.Select(v => (double)(float)v)] : values;
        Assert.Equal(expected, idx.ToDoubleArray());
        Assert.Equal(expected.Select(v => (float)v), idx.ToSingleArray());
        if (type is IdxElementType.Single or IdxElementType.Double)
            Assert.Throws<InvalidOperationException>(() => idx.ToInt32Array());
        else
            Assert.Equal(values.Select(v => (int)v), idx.ToInt32Array());
    }

    [Fact]
    public void ReadsFourDimensionsAndEmptyArrays()
    {
        using var dir = new TempFolder();
        Assert.Equal([1, 2, 1, 2], IdxFile.Read(IdxTestFiles.Write(dir.File("4d"), IdxElementType.Int16, [1, 2, 1, 2], [1, 2, 3, 4])).Shape);
        Assert.Equal(0, IdxFile.Read(IdxTestFiles.Write(dir.File("empty"), IdxElementType.UnsignedByte, [0, 28], [])).ElementCount);
    }

    [Fact]
    public void ReadImagesScalesPixelsToTheUnitInterval()
    {
        using var dir = new TempFolder();
        string path = IdxTestFiles.Write(dir.File("images.gz"), IdxElementType.UnsignedByte, [2, 1, 3], [0, 51, 255, 255, 102, 0], gzip: true);

        IdxImages images = IdxFile.ReadImages(path);

        Assert.Equal((2, 1, 3), (images.Count, images.Height, images.Width));
        Assert.Equal([2, 3], images.Pixels.Shape);
        Assert.Equal([0f, 0.2f, 1f, 1f, 0.4f, 0f], images.Pixels.ToArray());
    }

    [Fact]
    public void ReadLabelsGivesIntegers()
    {
        using var dir = new TempFolder();
        Assert.Equal([3, 0, 9], IdxFile.ReadLabels(IdxTestFiles.WriteLabels(dir.File("labels"), [3, 0, 9], gzip: false)));
    }

    [Fact]
    public void ImagesAndLabelsOfTheWrongShapeOrTypeAreRefused()
    {
        using var dir = new TempFolder();
        string labels = IdxTestFiles.WriteLabels(dir.File("labels"), [1, 2]);
        string floats = IdxTestFiles.Write(dir.File("floats"), IdxElementType.Single, [1, 1, 2], [0.5, 1]);
        Assert.Contains("not images of shape [count, height, width]", Assert.Throws<InvalidDataException>(() => IdxFile.ReadImages(labels)).Message);
        Assert.Contains("not unsigned-byte pixels", Assert.Throws<InvalidDataException>(() => IdxFile.ReadImages(floats)).Message);
        Assert.Contains("not one integer label per item", Assert.Throws<InvalidDataException>(() => IdxFile.ReadLabels(floats)).Message);
    }

    [Theory]
    [InlineData(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, "not an IDX file: it starts with 0x8950")]
    [InlineData(new byte[] { 0, 0, 0x07, 1, 0, 0, 0, 1, 5 }, "element type code 0x07")]
    [InlineData(new byte[] { 0, 0, 0x08, 0 }, "declares 0 dimensions")]
    [InlineData(new byte[] { 0, 0, 0x08, 5, 0, 0, 0, 1 }, "declares 5 dimensions")]
    [InlineData(new byte[] { 0, 0, 0x08, 2, 0, 0, 0, 1 }, "truncated inside its IDX header")]
    [InlineData(new byte[] { 0, 0 }, "too short to be an IDX file")]
    [InlineData(new byte[] { }, "too short to be an IDX file")]
    public void ForeignOrBrokenHeadersGiveOneClearSentence(byte[] content, string problem)
    {
        foreach (bool gzip in new[] { false, true })
        {
            using var dir = new TempFolder();
            string path = dir.File("bad.idx");
            File.WriteAllBytes(path, gzip ? IdxTestFiles.Gzip(content) : content);

            var e = Assert.Throws<InvalidDataException>(() => IdxFile.Read(path));

            Assert.Contains(path, e.Message);
            Assert.Contains(problem, e.Message);
            Assert.EndsWith(".", e.Message);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TruncatedDataIsReported(bool gzip)
    {
        using var dir = new TempFolder();
        byte[] raw = IdxTestFiles.Bytes(IdxElementType.Int32, [4], [1, 2, 3, 4]);
        string path = dir.File("short.idx");
        File.WriteAllBytes(path, gzip ? IdxTestFiles.Gzip(raw[..^3]) : raw[..^3]);

        var e = Assert.Throws<InvalidDataException>(() => IdxFile.Read(path));

        Assert.Contains($"The file '{path}' is truncated: its header promises [4] Int32 values (16 bytes) but only 13 bytes follow.", e.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void DataBeyondTheHeaderShapeIsReported(bool gzip)
    {
        using var dir = new TempFolder();
        byte[] raw = [.. IdxTestFiles.Bytes(IdxElementType.UnsignedByte, [2], [1, 2]), 9, 9];
        string path = dir.File("long.idx");
        File.WriteAllBytes(path, gzip ? IdxTestFiles.Gzip(raw) : raw);

        var e = Assert.Throws<InvalidDataException>(() => IdxFile.Read(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("is longer than its header [2] says", e.Message);
    }

    [Fact]
    public void ACutGzipStreamIsReported()
    {
        using var dir = new TempFolder();
        byte[] gz = IdxTestFiles.Gzip(IdxTestFiles.Bytes(IdxElementType.UnsignedByte, [1000], [.. Enumerable.Range(0, 1000).Select(i => (double)(i * 37 % 256))]));
        string cut = dir.File("cut.gz"), garbage = dir.File("garbage.gz");
        File.WriteAllBytes(cut, gz[..(gz.Length / 2)]);
        File.WriteAllBytes(garbage, [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);

        Assert.Contains(cut, Assert.Throws<InvalidDataException>(() => IdxFile.Read(cut)).Message);
        Assert.Contains(garbage, Assert.Throws<InvalidDataException>(() => IdxFile.Read(garbage)).Message);
    }

    [Theory]
    [InlineData(false, new uint[] { 0x7FFF_FFFF, 28, 28 })]   // 2^31 rows of 28×28: more than an array holds
    [InlineData(true, new uint[] { 0x7FFF_FFFF, 28, 28 })]
    [InlineData(false, new uint[] { 60000, 28, 28 })]        // plausible, but not in a file of a few bytes
    [InlineData(true, new uint[] { 60000, 28, 28 })]
    [InlineData(false, new uint[] { 0xFFFF_FFFF })]
    [InlineData(true, new uint[] { 1 << 20, 1 << 20, 1 << 20, 1 << 20 })]   // a product that overflows a long
    public void AbsurdDimensionsFailFastWithoutAllocatingThem(bool gzip, uint[] dims)
    {
        using var dir = new TempFolder();
        var raw = new byte[4 + 4 * dims.Length + 16];
        raw[2] = 0x08;
        raw[3] = (byte)dims.Length;
        for (int i = 0; i < dims.Length; i++) BinaryPrimitives.WriteUInt32BigEndian(raw.AsSpan(4 + 4 * i), dims[i]);
        string path = dir.File("huge.idx");
        File.WriteAllBytes(path, gzip ? IdxTestFiles.Gzip(raw) : raw);

        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        var e = Assert.Throws<InvalidDataException>(() => IdxFile.Read(path));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"took {clock.Elapsed}");
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - allocatedBefore < 8 << 20, "allocated what the header promised");
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void AMissingFileIsNamed()
    {
        string missing = Path.Combine(Path.GetTempPath(), "latent-no-such-folder", "train-images-idx3-ubyte.gz");
        var e = Assert.Throws<FileNotFoundException>(() => IdxFile.Read(missing));
        Assert.Equal($"The file '{missing}' does not exist.", e.Message);
    }
}
