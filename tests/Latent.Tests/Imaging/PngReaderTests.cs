using System.Buffers.Binary;
using System.Text;
using Latent.Imaging;

namespace Latent.Tests.Imaging;

public class PngReaderTests
{
    public static TheoryData<string> FixtureNames() => [.. PngFixtures.All.Select(f => f.File)];

    [Theory]
    [MemberData(nameof(FixtureNames))]
    public void ReadsFilesMadeByOtherEncoders(string name)
    {
        PngFixture fixture = PngFixtures.All.Single(f => f.File == name);
        PngImage image = PngReader.Read(PngFixtures.PathOf(name));
        Assert.Equal((fixture.Width, fixture.Height), (image.Width, image.Height));
        Assert.Equal(fixture.ColorType, (int)image.ColorType);
        Assert.Equal(fixture.BitDepth, image.BitDepth);
        Assert.Equal(fixture.Interlaced, image.Interlaced);
        if (image.ColorType == PngColorType.Palette)
        {
            Raster raster = image.ToRaster();
            Assert.Equal(fixture.ExpectedRgba ? PngColor.Rgba : PngColor.Rgb, raster.Color);
            Assert.Equal(fixture.Expected, raster.Pixels.Select(b => (int)b));
        }
        else
        {
            Assert.Equal(fixture.Expected, image.Samples.Select(s => (int)s));
        }
    }

    public static TheoryData<PngColorType, int, bool> Kinds()
    {
        var data = new TheoryData<PngColorType, int, bool>();
        foreach (PngColorType type in Enum.GetValues<PngColorType>())
            foreach (int depth in new[] { 1, 2, 4, 8, 16 })
                if (type.Allows(depth))
                    foreach (bool interlace in new[] { false, true }) data.Add(type, depth, interlace);
        return data;
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void EveryColourTypeAndBitDepthRoundTrips(PngColorType type, int depth, bool interlace)
    {
        var random = new Random((int)type * 100 + depth * 2 + (interlace ? 1 : 0));
        foreach (var (width, height) in new[] { (1, 1), (3, 5), (13, 11), (17, 2) })
        {
            int entries = type == PngColorType.Palette ? random.Next(1, (1 << depth) + 1) : 0;
            int limit = type == PngColorType.Palette ? entries : 1 << depth;
            var samples = new ushort[width * height * type.Samples()];
            for (int i = 0; i < samples.Length; i++) samples[i] = (ushort)random.Next(limit);
            byte[]? palette = null, alpha = null;
            if (type == PngColorType.Palette)
            {
                palette = new byte[3 * entries];
                random.NextBytes(palette);
                if (random.Next(2) == 0)
                {
                    alpha = new byte[random.Next(1, entries + 1)];
                    random.NextBytes(alpha);
                }
            }
            var image = new PngImage(width, height, type, depth, samples, palette, alpha);
            PngImage back = PngReader.Decode(PngWriter.Encode(image, interlace));
            Assert.Equal((width, height, type, depth, interlace), (back.Width, back.Height, back.ColorType, back.BitDepth, back.Interlaced));
            Assert.Equal(samples, back.Samples);
            Assert.Equal(palette, back.Palette);
            Assert.Equal(alpha, back.PaletteAlpha);
        }
    }

    [Theory]
    [InlineData(PngColor.Gray)]
    [InlineData(PngColor.GrayAlpha)]
    [InlineData(PngColor.Rgb)]
    [InlineData(PngColor.Rgba)]
    public void ReadsWhatTheEightBitWriterWrites(PngColor color)
    {
        var pixels = new byte[9 * 7 * color.Channels()];
        new Random(3).NextBytes(pixels);
        PngImage image = PngReader.Decode(PngWriter.Encode(pixels, 9, 7, color));
        Raster raster = image.ToRaster();
        Assert.Equal(color, raster.Color);
        Assert.Equal(pixels, raster.Pixels);
    }

    [Fact]
    public void ConvertsToEightBitsAndToChannelFirstFloats()
    {
        var image = new PngImage(2, 1, PngColorType.GrayAlpha, 16, [0, 65535, 32896, 257]);
        Assert.Equal([0, 255, 128, 1], image.ToRaster().Pixels);
        float[] floats = image.ToFloats(out ImageShape shape);
        Assert.Equal(new ImageShape(2, 1, 2), shape);
        Assert.Equal([0f, 32896f / 65535, 1f, 257f / 65535], floats);   // gray plane, then alpha plane

        var gray2 = new PngImage(4, 1, PngColorType.Gray, 2, [0, 1, 2, 3]);
        Assert.Equal([0, 85, 170, 255], gray2.ToRaster().Pixels);
        var palette = new PngImage(2, 1, PngColorType.Palette, 1, [1, 0], [10, 20, 30, 40, 50, 60], [7]);
        Assert.Equal([40, 50, 60, 255, 10, 20, 30, 7], palette.ToRaster().Pixels);   // entry 1 has no alpha: opaque
        Assert.Equal([40f / 255, 10f / 255], palette.ToFloats(out _)[..2]);
    }

    // ------------------------------------------------------------------ corrupt files

    private static byte[] ValidFile() => PngWriter.Encode(new PngImage(5, 4, PngColorType.Rgb, 8, [.. Enumerable.Range(0, 60).Select(i => (ushort)(i * 4))]));

    private static InvalidDataException Refused(byte[] file) => Assert.Throws<InvalidDataException>(() => PngReader.Decode(file));

    [Fact]
    public void ABadCrcNamesTheChunk()
    {
        byte[] file = ValidFile();
        int idat = IndexOf(file, "IDAT");
        file[idat + 6] ^= 0x40;   // a bit of the compressed data
        InvalidDataException e = Refused(file);
        Assert.Contains("IDAT", e.Message);
        Assert.Contains("CRC", e.Message);
    }

    [Fact]
    public void TruncatedFilesAreRefusedAtEveryLength()
    {
        byte[] file = ValidFile();
        for (int length = 0; length < file.Length; length++)
        {
            InvalidDataException e = Refused(file[..length]);
            Assert.False(string.IsNullOrWhiteSpace(e.Message));
        }
        Assert.Contains("truncated", Refused(file[..^5]).Message);
    }

    [Fact]
    public void AWrongChunkLengthIsRefused()
    {
        byte[] longer = ValidFile();
        int idat = IndexOf(longer, "IDAT") - 4;
        BinaryPrimitives.WriteInt32BigEndian(longer.AsSpan(idat), 1_000_000);
        Assert.Contains("declares 1000000 bytes", Refused(longer).Message);

        byte[] shorter = ValidFile();
        BinaryPrimitives.WriteInt32BigEndian(shorter.AsSpan(idat), BinaryPrimitives.ReadInt32BigEndian(shorter.AsSpan(idat)) - 1);
        Assert.Contains("CRC", Refused(shorter).Message);

        byte[] huge = ValidFile();
        BinaryPrimitives.WriteUInt32BigEndian(huge.AsSpan(idat), 0xFFFFFFF0);
        Assert.Contains("at most", Refused(huge).Message);
    }

    [Theory]
    [InlineData(100_000u, 100_000u)]
    [InlineData(0x7FFFFFFFu, 0x7FFFFFFFu)]
    [InlineData(1u, 40_000_000u)]
    public void AbsurdDimensionsAreRefusedBeforeAllocating(uint width, uint height)
    {
        byte[] file = Build(Header(width, height, 8, 6), Chunk("IDAT", [0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]), Chunk("IEND", []));
        long before = GC.GetAllocatedBytesForCurrentThread();
        InvalidDataException e = Refused(file);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Contains("MaxPixels", e.Message);
        Assert.True(allocated < 1 << 20, $"refusing the file allocated {allocated} bytes");
    }

    [Fact]
    public void APlausibleSizeWithTooLittleDataIsRefusedBeforeAllocatingForIt()
    {
        // 4000 × 4000 RGBA is within the limits, but 8 bytes of compressed data cannot inflate to 64 MB.
        byte[] file = Build(Header(4000, 4000, 8, 6), Chunk("IDAT", [0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]), Chunk("IEND", []));
        long before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Contains("truncated", Refused(file).Message);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20);
    }

    [Fact]
    public void ADimensionOfZeroOrAboveTheFormatLimitIsRefused()
    {
        Assert.Contains("0×5", Refused(Build(Header(0, 5, 8, 0), Chunk("IEND", []))).Message);
        Assert.Contains("2147483648", Refused(Build(Header(0x80000000, 1, 8, 0), Chunk("IEND", []))).Message);
    }

    [Fact]
    public void StructuralErrorsEachHaveTheirOwnMessage()
    {
        byte[] pixels = Zlib([0, 1, 2, 3]);   // one row, filter 0, three gray pixels
        Assert.Contains("signature", Refused([.. ValidFile().Select((b, i) => i == 1 ? (byte)'X' : b)]).Message);
        Assert.Contains("first chunk", Refused(Build(Chunk("IDAT", pixels), Header(3, 1, 8, 0))).Message);
        Assert.Contains("bit depth 3", Refused(Build(Header(3, 1, 3, 0), Chunk("IDAT", pixels), Chunk("IEND", []))).Message);
        Assert.Contains("colour type 5", Refused(Build(Header(3, 1, 8, 5), Chunk("IDAT", pixels), Chunk("IEND", []))).Message);
        Assert.Contains("unknown critical chunk ABCD", Refused(Build(Header(3, 1, 8, 0), Chunk("ABCD", []), Chunk("IDAT", pixels), Chunk("IEND", []))).Message);
        Assert.Contains("no PLTE", Refused(Build(Header(3, 1, 8, 3), Chunk("IDAT", pixels), Chunk("IEND", []))).Message);
        Assert.Contains("palette entry 3", Refused(Build(Header(3, 1, 8, 3), Chunk("PLTE", new byte[9]), Chunk("IDAT", pixels), Chunk("IEND", []))).Message);
        Assert.Contains("filter type 7", Refused(Build(Header(3, 1, 8, 0), Chunk("IDAT", Zlib([7, 1, 2, 3])), Chunk("IEND", []))).Message);
        Assert.Contains("inflates to 3 bytes", Refused(Build(Header(3, 1, 8, 0), Chunk("IDAT", Zlib([0, 1, 2])), Chunk("IEND", []))).Message);
        Assert.Contains("corrupt", Refused(Build(Header(3, 1, 8, 0), Chunk("IDAT", [0x78, 0x9c, 0xff, 0xff, 0xff]), Chunk("IEND", []))).Message);
        Assert.Contains("no IEND", Refused(Build(Header(3, 1, 8, 0), Chunk("IDAT", pixels))).Message);
        Assert.Contains("not consecutive", Refused(Build(Header(3, 1, 8, 0), Chunk("IDAT", pixels[..4]), Chunk("tEXt", [65, 0, 66]), Chunk("IDAT", pixels[4..]), Chunk("IEND", []))).Message);
        // Ancillary chunks that the reader does not know are skipped.
        Assert.Equal([1, 2, 3], PngReader.Decode(Build(Header(3, 1, 8, 0), Chunk("tEXt", [65, 0, 66]), Chunk("IDAT", pixels), Chunk("IEND", []))).Samples.Select(s => (int)s));
    }

    [Fact]
    public void ReadNamesTheFileAndRefusesHugeFiles()
    {
        using var folder = new TempFolder();
        string path = folder.File("broken.png");
        File.WriteAllBytes(path, ValidFile()[..30]);
        InvalidDataException e = Assert.Throws<InvalidDataException>(() => PngReader.Read(path));
        Assert.StartsWith(path, e.Message);
        File.WriteAllBytes(path, ValidFile());
        Assert.Contains("MaxFileBytes", Assert.Throws<InvalidDataException>(() => PngReader.Read(path, new PngReadOptions { MaxFileBytes = 10 })).Message);
    }

    // ------------------------------------------------------------------ file building

    private static byte[] Header(uint width, uint height, byte depth, byte colorType)
    {
        var data = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(data, width);
        BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(4), height);
        data[8] = depth;
        data[9] = colorType;
        return Chunk("IHDR", data);
    }

    /// <summary>A chunk with a correct CRC (computed bit by bit, not with the library's table).</summary>
    private static byte[] Chunk(string type, byte[] data)
    {
        var chunk = new byte[12 + data.Length];
        BinaryPrimitives.WriteInt32BigEndian(chunk, data.Length);
        Encoding.ASCII.GetBytes(type).CopyTo(chunk, 4);
        data.CopyTo(chunk, 8);
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + data.Length), PngTestDecoder.BitwiseCrc(chunk.AsSpan(4, 4 + data.Length)));
        return chunk;
    }

    private static byte[] Build(params byte[][] chunks) => [.. PngWriter.Signature, .. chunks.SelectMany(c => c)];

    private static byte[] Zlib(byte[] raw)
    {
        var output = new MemoryStream();
        using (var z = new System.IO.Compression.ZLibStream(output, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true)) z.Write(raw);
        return output.ToArray();
    }

    private static int IndexOf(byte[] file, string type)
    {
        byte[] name = Encoding.ASCII.GetBytes(type);
        for (int i = 8; i + 4 <= file.Length; i++)
            if (file.AsSpan(i, 4).SequenceEqual(name)) return i;
        throw new InvalidOperationException(type + " not found");
    }
}
