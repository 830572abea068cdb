using Latent.Engine;
using Latent.Models;
using Latent.Models.Sequence;
using Latent.Training;

namespace Latent.Tests.Models;

/// <summary>The model contract for the LSTM autoencoder, reading each 8×8 digit as 8 steps of 8 values.</summary>
public class SequenceAutoencoderContractTests : AutoencoderContract
{
    protected override IAutoencoder Create(int inputs, ulong seed) =>
        new SequenceAutoencoder(new SequenceAutoencoderConfig { Steps = 8, Features = inputs / 8, Hidden = 12, Seed = seed });

    protected override IAutoencoder Load(string path) => SequenceAutoencoder.Open(path);
}

/// <summary>The GRU variant with two layers, through the same contract.</summary>
public class StackedGruSequenceAutoencoderContractTests : AutoencoderContract
{
    protected override IAutoencoder Create(int inputs, ulong seed) =>
        new SequenceAutoencoder(new SequenceAutoencoderConfig { Steps = 8, Features = inputs / 8, Hidden = 12, Layers = 2, Cell = RecurrentCell.Gru, Seed = seed });

    protected override IAutoencoder Load(string path) => SequenceAutoencoder.Open(path);
}

public class SequenceAutoencoderTests
{
    /// <summary>Windows of 24 steps of noisy sines with random phases and periods, in the units of a sensor (offset 100, scale 20).</summary>
    private static Tensor Sines(int rows, ulong seed)
    {
        var rng = new Rng(seed);
        var windows = Tensor.Zeros(rows, 24);
        for (int r = 0; r < rows; r++)
        {
            float phase = rng.NextFloat() * 6.28f, period = 8 + rng.NextFloat() * 8;
            for (int t = 0; t < 24; t++) windows.Span[r * 24 + t] = 100 + 20 * MathF.Sin(phase + 6.28f * t / period) + rng.NextNormal() * 0.5f;
        }
        return windows;
    }

    [Fact]
    public void LearnsToRebuildWindowsOfASeriesAndFlagsAnOddOne()
    {
        Tensor train = Sines(1500, 1), test = Sines(200, 2);
        var model = new SequenceAutoencoder(new SequenceAutoencoderConfig { Steps = 24, Hidden = 32, Seed = 3 });
        History history = model.Fit(train, new FitOptions { Epochs = 20, BatchSize = 32, LearningRate = 5e-3f, ClipGradientNorm = 1, Seed = 4 });
        Assert.True(history.Epochs[^1].TrainLoss < history.Epochs[0].TrainLoss / 5, $"loss {history.Epochs[0].TrainLoss} → {history.Epochs[^1].TrainLoss}");
        float[] errors = model.ReconstructionError(test);
        double mean = errors.Average();
        Assert.True(mean < 0.1, $"mean scaled reconstruction error {mean} on unseen windows (a window's variance is about 1)");

        Tensor odd = test.Detach();
        for (int t = 10; t < 14; t++) odd.Span[t] += 60;   // a spike in window 0
        Assert.True(model.ReconstructionError(odd)[0] > 10 * errors.Max(), "a spiked window rebuilds worse than every normal one");
        Tensor rebuilt = model.Reconstruct(test);
        Assert.InRange(rebuilt.At(5, 7), test.At(5, 7) - 10, test.At(5, 7) + 10);   // back in the sensor's units
    }
}
