using Latent.Applications.Compression;
using Latent.Engine;
using Latent.Imaging;
using Latent.Models;

namespace Latent.Tests.Applications.Compression;

public class ImageCodecTests
{
    [Fact]
    public void DecodingIsIdenticalAcrossRunsAndThreadCounts()
    {
        ImageCodec codec = CodecTestImages.Codec;
        Raster image = CodecTestImages.Image(53, 37, 9);
        int saved = Parallelism.Threads;
        try
        {
            Parallelism.Threads = 1;
            byte[] file = codec.Compress(image, 2);
            byte[] pixels = codec.Decompress(file).Pixels;
            Parallelism.Threads = 3;
            Assert.Equal(file, codec.Compress(image, 2));
            Assert.Equal(pixels, codec.Decompress(file).Pixels);
            Assert.Equal(pixels, codec.Decompress(file).Pixels);
        }
        finally
        {
            Parallelism.Threads = saved;
        }
    }

    [Fact]
    public void TheExactHyperSynthesisAgreesWithTheEngine()
    {
        // The scales that pick each latent value's table come from a plain double-precision pass (the same on any machine);
        // it must compute what the network trained: the engine's float pass on the same integers.
        ImageCodecModel model = CodecTestImages.Codec.Model(2);
        var rng = new Rng(5);
        int channels = model.Config.Filters, height = 3, width = 2;
        int[] hyper = [.. Enumerable.Range(0, channels * height * width).Select(_ => rng.NextInt(9) - 4)];
        double[] exact = ExactHyperSynthesis.Raw(model.Network.HyperSynthesis!, hyper, height, width);
        using Tensor z = Tensor.FromArray([.. hyper.Select(v => (float)v)], 1, channels, height, width);
        float[] engine;
        using (Tensor.NoGrad())
        using (Tensor raw = model.Network.HyperSynthesise(z)) engine = raw.ToArray();
        Assert.Equal(engine.Length, exact.Length);
        Assert.Equal(model.Config.LatentChannels * 16 * height * width, exact.Length);
        for (int i = 0; i < exact.Length; i++) Assert.True(Math.Abs(engine[i] - exact[i]) < 1e-4 * (1 + Math.Abs(exact[i])), $"value {i}: engine {engine[i]}, exact {exact[i]}");
        Assert.Contains(exact, v => Math.Abs(v) > 0.01);
    }

    [Fact]
    public void TheCoderLosesNothingOfTheRoundedLatentWithOrWithoutHyperprior()
    {
        // Whatever the entropy model, the range coder must give the decoder exactly the rounded latent: the decoded
        // planes equal the synthesis of round(analysis(image)), bit for bit.
        var factorisedOptions = CodecTestImages.Small(4) with { Model = new ImageCodecConfig { Filters = 12, LatentChannels = 8, Seed = 4, Hyperprior = false }, CropSize = 32 };
        foreach (ImageCodec codec in new[] { CodecTestImages.Codec, ImageCodec.Fit(CodecTestImages.Training, factorisedOptions) })
        {
            ImageCodecModel model = codec.Model(2);
            using Tensor padded = CodecPixels.ToPaddedTensor(CodecTestImages.Image(70, 45, 6), codec.Config.Alignment);
            int height = padded.Dim(2) / ImageCodecConfig.Stride, width = padded.Dim(3) / ImageCodecConfig.Stride;
            using Tensor decoded = model.Decode(model.Encode(padded), height, width);
            using (Tensor.NoGrad())
            {
                using Tensor y = model.Network.Analyse(padded);
                float[] latent = y.ToArray();
                for (int i = 0; i < latent.Length; i++) latent[i] = MathF.Round(latent[i]);
                using Tensor rounded = Tensor.FromArray(latent, 1, model.Config.LatentChannels, height, width);
                using Tensor expected = model.Network.Synthesise(rounded);
                Assert.Equal(expected.ToArray(), decoded.ToArray());
            }
        }
    }

    [Fact]
    public void FactorisedCodecsSaveAndOpenAndAHyperpriorFileNeedsItsScaleTables()
    {
        using var folder = new TempFolder();
        var options = CodecTestImages.Small(5, epochs: 1) with { Model = new ImageCodecConfig { Filters = 8, LatentChannels = 6, Seed = 5, Hyperprior = false }, CropSize = 32 };
        ImageCodec factorised = ImageCodec.Fit(CodecTestImages.Training, options);
        Raster image = CodecTestImages.Image(33, 18, 7);
        factorised.Save(folder.File("f.safetensors"));
        ImageCodec reopened = ImageCodec.Open(folder.File("f.safetensors"));
        Assert.Equal(factorised.Compress(image, 1), reopened.Compress(image, 1));
        Assert.Equal(factorised.Decompress(factorised.Compress(image, 2)).Pixels, reopened.Decompress(factorised.Compress(image, 2)).Pixels);

        CodecTestImages.Codec.Save(folder.File("h.safetensors"));
        var content = Latent.Storage.SafeTensorsFile.Load(folder.File("h.safetensors"));
        Latent.Storage.SafeTensorsFile.Save(folder.File("damaged.safetensors"), content.Tensors.Where(t => t.Key != "scale_thresholds").Select(t => (t.Key, t.Value)), content.Metadata);
        var e = Assert.Throws<InvalidDataException>(() => ImageCodec.Open(folder.File("damaged.safetensors")));
        Assert.Contains("lacks the hyperprior's coding tables", e.Message);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(17, 5)]
    [InlineData(33, 47)]
    [InlineData(16, 32)]
    public void AnyImageSizeComesBackAtItsSize(int width, int height)
    {
        Raster image = CodecTestImages.Image(width, height, 3);
        Raster back = CodecTestImages.Codec.Decompress(CodecTestImages.Codec.Compress(image, 1));
        Assert.Equal((width, height, PngColor.Rgb), (back.Width, back.Height, back.Color));
    }

    [Fact]
    public void GrayImagesComeBackGray()
    {
        Raster image = CodecTestImages.Image(30, 20, 1, PngColor.Gray);
        Raster back = CodecTestImages.Codec.Decompress(CodecTestImages.Codec.Compress(image, 2));
        Assert.Equal(PngColor.Gray, back.Color);
        Assert.Equal(image.Pixels.Length, back.Pixels.Length);
    }

    [Fact]
    public void TheCodecLearnsFewerBitsAndLessDistortion()
    {
        // The same codec after one epoch and after many: the rate–distortion loss falls, and on images it has not seen
        // the higher quality spends more bits for a better image.
        var images = new[] { CodecTestImages.Image(32, 32, 11), CodecTestImages.Image(32, 32, 12) };
        ImageCodec early = ImageCodec.Fit(CodecTestImages.Training, CodecTestImages.Small(3, epochs: 1));
        ImageCodec late = ImageCodec.Fit(CodecTestImages.Training, CodecTestImages.Small(3, epochs: 8));
        CompressionReport before = early.Evaluate(images), after = late.Evaluate(images);
        for (int q = 1; q <= 2; q++)
        {
            var (b, a) = (late.Model(q).History!.Epochs[0].TrainLoss, late.Model(q).History!.Epochs[^1].TrainLoss);
            Assert.True(a < 0.8 * b, $"quality {q}: the training loss went from {b} to {a}");
        }
        QualityResult low = after.Qualities[0], high = after.Qualities[1];
        Assert.True(high.Psnr > low.Psnr && high.BitsPerPixel > low.BitsPerPixel, $"q1 {low.BitsPerPixel} bpp {low.Psnr} dB, q2 {high.BitsPerPixel} bpp {high.Psnr} dB");
        Assert.True(after.Qualities[1].Psnr > before.Qualities[1].Psnr, $"{before.Qualities[1].Psnr} dB after one epoch, {after.Qualities[1].Psnr} after eight");
    }

    [Fact]
    public void DamagedTruncatedAndForeignFilesGetOneClearError()
    {
        using var folder = new TempFolder();
        ImageCodec codec = CodecTestImages.Codec;
        byte[] file = codec.Compress(CodecTestImages.Image(40, 30, 2), 1);
        var cases = new (byte[] Bytes, string Says)[]
        {
            (Flip(file, file.Length / 2), "is damaged"),
            (Flip(file, 9), "is damaged"),
            (file[..(file.Length - 3)], "is truncated"),
            (file[..12], "is truncated"),
            ("PK\x03\x04 not an image"u8.ToArray(), "is not a Latent compressed image"),
            ([], "is not a Latent compressed image"),
        };
        foreach (var (bytes, says) in cases)
        {
            string path = folder.File("x.lat");
            File.WriteAllBytes(path, bytes);
            var e = Assert.Throws<InvalidDataException>(() => codec.DecompressFile(path));
            Assert.Contains(says, e.Message);
            Assert.StartsWith($"'{path}' ", e.Message);
        }
        ImageCodec other = ImageCodec.Fit(CodecTestImages.Training, CodecTestImages.Small(2, epochs: 1));
        Assert.Contains("compressed by another codec", Assert.Throws<InvalidDataException>(() => other.Decompress(file)).Message);
    }

    private static byte[] Flip(byte[] bytes, int at)
    {
        byte[] copy = (byte[])bytes.Clone();
        copy[at] ^= 0x01;
        return copy;
    }
}
