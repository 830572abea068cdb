using Latent.Engine;
using Latent.Models;
using Latent.Storage;
using Latent.Training;

namespace Latent.Tests.Models;

/// <summary>
/// The U-Net: skip connections carry shapes for any size, and the model contract (as <see cref="AutoencoderContract"/>
/// states it for autoencoders): save/open identical outputs and a bit-exact file, same seed same training, bad input
/// gets a clear ArgumentException, the caller's data is never modified.
/// </summary>
public class UNetTests
{
    private static UNet Small(ulong seed = 0, bool batchNorm = false) => new(new UNetConfig
    {
        InChannels = 2, OutChannels = 3, Widths = [4, 6, 8], ConvolutionsPerBlock = 2, BatchNorm = batchNorm, Seed = seed,
    });

    /// <summary>Pairs whose target is a fixed local function of the input (learnable through the skips).</summary>
    private static (Tensor Inputs, Tensor Targets) Pairs(int n = 24, int height = 9, int width = 7)
    {
        Tensor x = Tensor.Uniform(new Rng(11), 0f, 1f, n, 2, height, width);
        var y = Tensor.Zeros(n, 3, height, width);
        int plane = height * width;
        for (int i = 0; i < n; i++)
            for (int p = 0; p < plane; p++)
            {
                float a = x.Span[(i * 2) * plane + p], b = x.Span[(i * 2 + 1) * plane + p];
                y.Span[(i * 3) * plane + p] = a + b;
                y.Span[(i * 3 + 1) * plane + p] = a - b;
                y.Span[(i * 3 + 2) * plane + p] = 0.5f;
            }
        return (x, y);
    }

    private static FitOptions Quick(ulong seed = 0) => new() { Epochs = 3, BatchSize = 8, LearningRate = 3e-3f, Seed = seed };

    [Theory]
    [InlineData(7, 9, Downsampling.StridedConv, Upsampling.Nearest, false)]
    [InlineData(13, 5, Downsampling.MaxPool, Upsampling.Bilinear, true)]
    [InlineData(1, 1, Downsampling.StridedConv, Upsampling.TransposedConv, false)]
    [InlineData(33, 17, Downsampling.MaxPool, Upsampling.TransposedConv, true)]
    [InlineData(32, 32, Downsampling.StridedConv, Upsampling.Nearest, false)]
    public void SkipConnectionsCarryShapesForOddSizesAndGradientsReachEveryLayer(int height, int width, Downsampling down, Upsampling up, bool batchNorm)
    {
        var unet = new UNet(new UNetConfig
        {
            InChannels = 3, OutChannels = 5, Widths = [4, 4, 6, 8], Downsampling = down, Upsampling = up, BatchNorm = batchNorm,
        });
        using Tensor images = Tensor.Uniform(new Rng(1), 0f, 1f, 2, 3, height, width);
        Assert.Equal([2, 5, height, width], unet.Predict(images).Shape);

        unet.Network.Train();
        Tensor output = unet.Forward(images);
        Assert.Equal([2, 5, height, width], output.Shape);
        Ops.Sum(output * output).Backward();
        foreach (var (name, p) in unet.Network.NamedParameters())
            Assert.True(p.Grad is not null, $"{name} received no gradient");
    }

    [Fact]
    public void TheDefaultIsTheReferenceUNet()
    {
        var unet = new UNet(new UNetConfig());
        // The parameter count PyTorch reports for shared/reference/colorize_baseline.py's U-Net.
        int expected = (1 * 9 + 1) * 32 + (32 * 9 + 1) * 64 + (64 * 9 + 1) * 128 + (128 * 9 + 1) * 128
            + (256 * 9 + 1) * 128 + (192 * 9 + 1) * 64 + (96 * 9 + 1) * 32 + (32 * 9 + 1) * 2;
        Assert.Equal(expected, unet.ParameterCount);
    }

    [Fact]
    public void LearnsALocalMapThroughTheSkips()
    {
        var (x, y) = Pairs(64);
        UNet unet = Small(1);
        double Error() => ((unet.Predict(x) - y) * (unet.Predict(x) - y)).Mean().Item();
        double before = Error();
        unet.Fit(x, y, new FitOptions { Epochs = 80, BatchSize = 16, LearningRate = 5e-3f, Seed = 1 });
        double after = Error();
        Assert.True(after < before / 10, $"mean squared error went from {before} to {after}");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void SaveAndOpenGiveIdenticalOutputsAndABitExactFile(bool batchNorm)
    {
        using var dir = new TempFolder();
        var (x, y) = Pairs();
        UNet unet = Small(1, batchNorm);
        unet.Fit(x, y, Quick());
        string path = dir.File("unet.safetensors"), again = dir.File("again.safetensors");
        unet.Save(path);
        UNet opened = UNet.Open(path);
        Assert.Equal(unet.Predict(x).ToArray(), opened.Predict(x).ToArray());
        Assert.Equal(unet.Config.Widths, opened.Config.Widths);
        Assert.IsType<UNet>(ModelFile.Open(path));
        opened.Save(again);
        Assert.Equal(Tensors(path), Tensors(again));
    }

    [Fact]
    public void TheSameSeedGivesTheSameLossCurveAndWeights()
    {
        var (x, y) = Pairs();
        UNet a = Small(2), b = Small(2);
        History ha = a.Fit(x, y, Quick(5)), hb = b.Fit(x, y, Quick(5));
        Assert.Equal(ha.Epochs.Select(e => e.TrainLoss), hb.Epochs.Select(e => e.TrainLoss));
        Assert.Equal(ha.Epochs.Select(e => e.ValidationLoss), hb.Epochs.Select(e => e.ValidationLoss));
        Assert.Equal(a.Predict(x).ToArray(), b.Predict(x).ToArray());
    }

    [Fact]
    public void BadInputGetsAClearArgumentException()
    {
        var (x, y) = Pairs();
        UNet unet = Small();
        var channels = Assert.Throws<ArgumentException>(() => unet.Predict(Tensor.Zeros(2, 3, 8, 8)));
        Assert.Contains("[n, 2, height, width]", channels.Message);
        Assert.Contains("[2, 3, 8, 8]", Assert.Throws<ArgumentException>(() => unet.Predict(Tensor.Zeros(2, 3, 8, 8))).Message);
        Assert.Throws<ArgumentException>(() => unet.Predict(Tensor.Zeros(4, 128)));
        Assert.Contains("as many images", Assert.Throws<ArgumentException>(() => unet.Fit(x, Tensor.Zeros(3, 3, 9, 7))).Message);
        Tensor withNaN = x.Detach();
        withNaN.Span[63 + 5] = float.NaN;
        Assert.Contains("Row 0, column 68", Assert.Throws<ArgumentException>(() => unet.Fit(withNaN, y)).Message);
        Assert.Throws<ArgumentException>(() => unet.Fit(x, y, Quick() with { Epochs = 0 }));
        Assert.Contains("odd", Assert.Throws<ArgumentException>(() => new UNet(new UNetConfig { KernelSize = 4 })).Message);
        Assert.Contains("at least one level", Assert.Throws<ArgumentException>(() => new UNet(new UNetConfig { Widths = [] })).Message);
    }

    [Fact]
    public void TheCallersDataIsNeverModified()
    {
        var (x, y) = Pairs();
        float[] xs = x.ToArray(), ys = y.ToArray();
        UNet unet = Small();
        unet.Fit(x, y, Quick());
        unet.Predict(x);
        Assert.Equal(xs, x.ToArray());
        Assert.Equal(ys, y.ToArray());
    }

    [Fact]
    public void OtherModelFilesAreRefused()
    {
        using var dir = new TempFolder();
        string path = dir.File("conv.safetensors");
        new ConvAutoencoder(new ConvAutoencoderConfig { Channels = 1, Height = 8, Width = 8, Filters = [2] }).Save(path);
        Assert.Contains("a U-Net", Assert.Throws<InvalidDataException>(() => UNet.Open(path)).Message);
    }

    private static Dictionary<string, float[]> Tensors(string path) =>
        SafeTensorsFile.Load(path).Tensors.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray());
}
