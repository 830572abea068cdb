using Latent.Data;
using Latent.Engine;
using Latent.Models;
using Latent.Training;

namespace Latent.Tests.Models;

public class ConvAutoencoderContractTests : AutoencoderContract
{
    protected override IAutoencoder Create(int inputs, ulong seed) =>
        new ConvAutoencoder(new ConvAutoencoderConfig { Channels = 1, Height = 8, Width = 8, Filters = [8, 4], Seed = seed });

    protected override IAutoencoder Load(string path) => ConvAutoencoder.Open(path);
}

/// <summary>The contract again with strided and transposed convolutions, batch norm, a dense code and MSE.</summary>
public class DenseCodeConvAutoencoderContractTests : AutoencoderContract
{
    protected override IAutoencoder Create(int inputs, ulong seed) => new ConvAutoencoder(new ConvAutoencoderConfig
    {
        Channels = 1, Height = 8, Width = 8, Filters = [8, 8], DecoderFilters = [8, 4], Downsampling = Downsampling.StridedConv,
        Upsampling = Upsampling.TransposedConv, CodeSize = 10, BatchNorm = true, Loss = ReconstructionLoss.Mse, Seed = seed,
    });

    protected override IAutoencoder Load(string path) => ConvAutoencoder.Open(path);
}

public class ConvAutoencoderTests
{
    [Fact]
    public void TheDefaultIsTheKerasDenoiserWithItsUnpaddedConvolutionBeforeTheLastUpsampling()
    {
        var model = new ConvAutoencoder(new ConvAutoencoderConfig { Channels = 1, Height = 28, Width = 28 });
        Assert.Equal(49_761, model.Network.ParameterCount);   // what the PyTorch port of the Keras model reports
        Assert.Equal([16, 4, 4], model.CodeShape);
        Assert.Equal(256, model.CodeSize);
        Assert.Equal([false, false, true], ConvAutoencoder.ValidLevels(4, 28, 3, 3, Upsampling.Nearest));
        using Tensor images = Tensor.Uniform(new Rng(1), 0f, 1f, 3, 784);
        Tensor rebuilt = model.Reconstruct(images);
        Assert.Equal([3, 784], rebuilt.Shape);
        Assert.All(rebuilt.ToArray(), v => Assert.InRange(v, 0f, 1f));
        Assert.Equal([3, 256], model.Encode(images).Shape);
    }

    [Theory]
    [InlineData(30, 20, Downsampling.MaxPool, Upsampling.Bilinear)]          // no unpadded choice fits 30: the centre is cropped
    [InlineData(13, 9, Downsampling.StridedConv, Upsampling.TransposedConv)]
    [InlineData(7, 7, Downsampling.MaxPool, Upsampling.Nearest)]
    public void AnyImageSizeComesBackAtItsSize(int height, int width, Downsampling down, Upsampling up)
    {
        var model = new ConvAutoencoder(new ConvAutoencoderConfig
        {
            Channels = 3, Height = height, Width = width, Filters = [4, 6], KernelSize = 5, Downsampling = down, Upsampling = up, Loss = ReconstructionLoss.Mse,
        });
        using Tensor images = Tensor.Uniform(new Rng(2), 0f, 1f, 2, 3 * height * width);
        Assert.Equal([2, 3 * height * width], model.Reconstruct(images).Shape);
        Tensor codes = model.Encode(images);
        Assert.Equal([2, model.CodeSize], codes.Shape);
        Assert.Equal([2, 3 * height * width], model.Decode(codes).Shape);
    }

    [Fact]
    public void LearnsToReconstructDigits()
    {
        var (pixels, _) = Digits.Load();
        Tensor data = Tensor.FromArray(pixels, pixels.Length / 64, 64);
        var model = new ConvAutoencoder(new ConvAutoencoderConfig { Channels = 1, Height = 8, Width = 8, Filters = [16, 8], Seed = 1 });
        float before = model.ReconstructionError(data).Average();
        History history = model.Fit(data, new FitOptions { Epochs = 15, BatchSize = 64, LearningRate = 3e-3f, Seed = 1 });
        float after = model.ReconstructionError(data).Average();
        Assert.True(after < before / 4, $"mean squared error went from {before} to {after}");
        Assert.True(history.Epochs[^1].TrainLoss < history.Epochs[0].TrainLoss);
    }

    [Fact]
    public void EachInitialisationStartsTheKernelsAndBiasesItsOwnWay()
    {
        float[] FirstKernelAndBias(WeightInit init, out float[] bias)
        {
            var model = new ConvAutoencoder(new ConvAutoencoderConfig { Channels = 1, Height = 8, Width = 8, Filters = [8, 4], Initialization = init });
            var first = model.Network.NamedParameters().ToDictionary(p => p.Name, p => p.Tensor.ToArray());
            bias = first["encoder.0.bias"];
            return first["encoder.0.weight"];
        }
        // The first kernel is [8, 1, 3, 3]: fan_in 9, fan_out 72.
        Assert.InRange(FirstKernelAndBias(WeightInit.Glorot, out float[] glorotBias).Max(), 0.2f, MathF.Sqrt(6f / 81));
        Assert.InRange(FirstKernelAndBias(WeightInit.He, out float[] heBias).Max(), 0.5f, MathF.Sqrt(6f / 9));
        Assert.InRange(FirstKernelAndBias(WeightInit.FanInUniform, out float[] pyTorchBias).Max(), 0.2f, 1f / 3);
        Assert.All(glorotBias.Concat(heBias), v => Assert.Equal(0f, v));
        Assert.Contains(pyTorchBias, v => v != 0);
    }

    [Fact]
    public void BadConfigurationsAreRefused()
    {
        Assert.Throws<ArgumentException>(() => new ConvAutoencoder(new ConvAutoencoderConfig { Channels = 1, Height = 0, Width = 8 }));
        Assert.Throws<ArgumentException>(() => new ConvAutoencoder(new ConvAutoencoderConfig { Channels = 1, Height = 8, Width = 8, Filters = [] }));
        Assert.Throws<ArgumentException>(() => new ConvAutoencoder(new ConvAutoencoderConfig { Channels = 1, Height = 8, Width = 8, DecoderFilters = [4] }));
        Assert.Throws<ArgumentException>(() => new ConvAutoencoder(new ConvAutoencoderConfig { Channels = 1, Height = 8, Width = 8, Output = Activation.Identity }));
        Assert.Throws<InvalidDataException>(() =>
        {
            using var dir = new TempFolder();
            string path = dir.File("dense.safetensors");
            new DenseAutoencoder(new DenseAutoencoderConfig { Inputs = 4, Hidden = [3], CodeSize = 2 }).Save(path);
            ConvAutoencoder.Open(path);
        });
    }
}
