using Latent.Demo;

namespace Latent.Tests.Demo;

public class DigitsDemoTests
{
    [Fact]
    public void TheAutoencoderBeatsPcaAtTheSameCodeSizeOnHeldOutDigits()
    {
        DemoResult result = DigitsDemo.Run(epochs: 60);
        Assert.True(result.AutoencoderMse < 0.8f * result.PcaMse,
            $"autoencoder {result.AutoencoderMse} vs PCA {result.PcaMse} at code size {result.CodeSize}");
        Assert.True(result.PcaMse < result.MeanImageMse);

        string html = result.Report().ToHtml();
        Assert.Contains("PCA", html);
        Assert.Contains("<svg", html);
        Assert.Contains("data:image/png;base64,", html);

        IReadOnlyList<float[]> pairs = result.HeldOutPairs(4);   // original, reconstruction, original, …
        Assert.Equal(8, pairs.Count);
        Assert.Equal(result.Test.ToArray()[..64], pairs[0]);
        Assert.Equal(64, pairs[1].Length);
    }
}
