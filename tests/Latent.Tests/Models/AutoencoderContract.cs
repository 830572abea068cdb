using Latent.Data;
using Latent.Engine;
using Latent.Models;
using Latent.Training;

namespace Latent.Tests.Models;

/// <summary>
/// The contract every autoencoder passes (see STYLE.md): save/load gives identical outputs and a bit-exact
/// file, the same seed gives the same result, bad input gets an ArgumentException with a clear message,
/// and the caller's data is never modified. A model family joins by deriving and saying how to build it.
/// </summary>
public abstract class AutoencoderContract
{
    protected abstract IAutoencoder Create(int inputs, ulong seed);

    protected abstract IAutoencoder Load(string path);

    protected static FitOptions QuickFit(ulong seed = 0) => new() { Epochs = 3, BatchSize = 64, Seed = seed, LearningRate = 3e-3f };

    protected static Tensor DigitRows(int count = 400)
    {
        var (pixels, _) = Digits.Load();
        return Tensor.FromArray(pixels.AsSpan(0, count * Digits.Pixels), count, Digits.Pixels);
    }

    [Fact]
    public void SaveAndLoadGiveIdenticalOutputsAndABitExactFile()
    {
        using var dir = new TempFolder();
        Tensor data = DigitRows();
        IAutoencoder model = Create(data.Dim(1), 1);
        model.Fit(data, QuickFit());
        string path = dir.File("model.safetensors"), again = dir.File("again.safetensors");
        model.Save(path);
        IAutoencoder loaded = Load(path);
        Assert.Equal(model.Encode(data).ToArray(), loaded.Encode(data).ToArray());
        Assert.Equal(model.Reconstruct(data).ToArray(), loaded.Reconstruct(data).ToArray());
        Assert.Equal(model.ReconstructionError(data), loaded.ReconstructionError(data));
        loaded.Save(again);
        Assert.Equal(Tensors(path), Tensors(again));
    }

    [Fact]
    public void TheSameSeedGivesTheSameLossCurveAndWeights()
    {
        Tensor data = DigitRows();
        IAutoencoder a = Create(data.Dim(1), 2), b = Create(data.Dim(1), 2);
        History ha = a.Fit(data, QuickFit(5)), hb = b.Fit(data, QuickFit(5));
        Assert.Equal(ha.Epochs.Select(e => e.TrainLoss), hb.Epochs.Select(e => e.TrainLoss));
        Assert.Equal(ha.Epochs.Select(e => e.ValidationLoss), hb.Epochs.Select(e => e.ValidationLoss));
        Assert.Equal(a.Encode(data).ToArray(), b.Encode(data).ToArray());
    }

    [Fact]
    public void BadInputGetsAClearArgumentException()
    {
        Tensor data = DigitRows(50);
        IAutoencoder model = Create(data.Dim(1), 3);
        var wrongWidth = Assert.Throws<ArgumentException>(() => model.Fit(Tensor.Zeros(10, data.Dim(1) + 1)));
        Assert.Contains($"[10, {data.Dim(1) + 1}]", wrongWidth.Message);
        Assert.Throws<ArgumentException>(() => model.Encode(Tensor.Zeros(4, 3)));
        Assert.Throws<ArgumentException>(() => model.Decode(Tensor.Zeros(4, model.CodeSize + 1)));
        Tensor withNaN = data.Detach();
        withNaN.Span[3 * data.Dim(1) + 5] = float.NaN;
        var nan = Assert.Throws<ArgumentException>(() => model.Fit(withNaN));
        Assert.Contains("Row 3, column 5", nan.Message);   // rows and columns count from 0
        Assert.Throws<ArgumentException>(() => model.Fit(data, QuickFit() with { Epochs = 0 }));
    }

    [Fact]
    public void TheCallersDataIsNeverModified()
    {
        Tensor data = DigitRows(200);
        float[] before = data.ToArray();
        IAutoencoder model = Create(data.Dim(1), 4);
        model.Fit(data, QuickFit());
        Tensor codes = model.Encode(data);
        float[] codesBefore = codes.ToArray();
        model.Reconstruct(data);
        model.ReconstructionError(data);
        model.Decode(codes);
        Assert.Equal(before, data.ToArray());
        Assert.Equal(codesBefore, codes.ToArray());
    }

    private static Dictionary<string, float[]> Tensors(string path) =>
        Latent.Storage.SafeTensorsFile.Load(path).Tensors.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray());
}
