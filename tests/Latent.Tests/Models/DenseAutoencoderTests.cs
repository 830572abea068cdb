using Latent.Data;
using Latent.Engine;
using Latent.Models;
using Latent.Training;

namespace Latent.Tests.Models;

public class DenseAutoencoderContractTests : AutoencoderContract
{
    protected override IAutoencoder Create(int inputs, ulong seed) =>
        new DenseAutoencoder(new DenseAutoencoderConfig { Inputs = inputs, Hidden = [32], CodeSize = 8, Seed = seed });

    protected override IAutoencoder Load(string path) => DenseAutoencoder.Open(path);
}

/// <summary>The contract again with standard scaling and a linear output, as for table rows.</summary>
public class ScaledDenseAutoencoderContractTests : AutoencoderContract
{
    protected override IAutoencoder Create(int inputs, ulong seed) => new DenseAutoencoder(new DenseAutoencoderConfig
    {
        Inputs = inputs, Hidden = [32], CodeSize = 8, Seed = seed, Scaling = Scaling.Standard, Output = Activation.Identity,
    });

    protected override IAutoencoder Load(string path) => DenseAutoencoder.Open(path);
}

public class DenseAutoencoderTests
{
    private static Tensor Digits64()
    {
        var (pixels, _) = Digits.Load();
        return Tensor.FromArray(pixels, pixels.Length / 64, 64);
    }

    [Fact]
    public void LearnsToReconstructDigits()
    {
        Tensor data = Digits64();
        var model = new DenseAutoencoder(new DenseAutoencoderConfig { Inputs = 64, Hidden = [32], CodeSize = 8, Loss = ReconstructionLoss.BinaryCrossEntropy });
        History history = model.Fit(data, new FitOptions { Epochs = 40, BatchSize = 64, LearningRate = 3e-3f });
        Assert.True(history.Epochs[^1].TrainLoss < history.Epochs[0].TrainLoss * 0.6f);
        float mse = model.ReconstructionError(data).Average();
        Assert.True(mse < 0.025f, $"reconstruction MSE {mse}");   // the mean image gives about 0.074
    }

    [Fact]
    public void SparsityPenaltiesShrinkTheCode()
    {
        Tensor data = Digits64();
        float MeanAbsCode(Sparsity sparsity, float weight)
        {
            var model = new DenseAutoencoder(new DenseAutoencoderConfig
            {
                Inputs = 64, Hidden = [32], CodeSize = 16, Sparsity = sparsity, SparsityWeight = weight,
                CodeActivation = Activation.Relu, SparsityTarget = 0.05f,
            });
            model.Fit(data, new FitOptions { Epochs = 15, BatchSize = 64, LearningRate = 3e-3f });
            return model.Encode(data).ToArray().Average(MathF.Abs);
        }
        Assert.True(MeanAbsCode(Sparsity.L1, 0.05f) < 0.5f * MeanAbsCode(Sparsity.None, 0f));
        // KL: the sigmoid code's mean activation is pulled towards the 0.05 target.
        Assert.InRange(MeanAbsCode(Sparsity.KullbackLeibler, 1f), 0f, 0.15f);
    }

    [Fact]
    public void ContractivePenaltyFlattensTheEncoder()
    {
        Tensor data = Digits64();
        double Sensitivity(float weight)
        {
            var model = new DenseAutoencoder(new DenseAutoencoderConfig { Inputs = 64, Hidden = [32], CodeSize = 8, ContractiveWeight = weight });
            model.Fit(data, new FitOptions { Epochs = 10, BatchSize = 64, LearningRate = 3e-3f });
            Tensor shifted = data + Tensor.Normal(new Rng(9), 0f, 0.05f, data.Dim(0), 64);
            float[] a = model.Encode(data).ToArray(), b = model.Encode(shifted).ToArray();
            return a.Zip(b, (x, y) => (double)(x - y) * (x - y)).Average();
        }
        Assert.True(Sensitivity(0.1f) < 0.5 * Sensitivity(0f));
    }

    [Fact]
    public void DivergenceStopsWithAClearMessageAndKeepsFiniteWeights()
    {
        Tensor data = Digits64() * 1000f;
        var model = new DenseAutoencoder(new DenseAutoencoderConfig { Inputs = 64, Hidden = [32], CodeSize = 8, Output = Activation.Identity });
        var e = Assert.Throws<TrainingDivergedException>(() => model.Fit(data, new FitOptions { Epochs = 50, LearningRate = 1e6f, Optimizer = OptimizerKind.Sgd }));
        Assert.Contains("diverged", e.Message);
        Assert.All(model.Encode(data).ToArray(), v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void EarlyStoppingRestoresTheBestEpoch()
    {
        Tensor data = Digits64();
        var model = new DenseAutoencoder(new DenseAutoencoderConfig { Inputs = 64, Hidden = [32], CodeSize = 8 });
        History h = model.Fit(data, new FitOptions { Epochs = 200, BatchSize = 64, LearningRate = 1e-2f, Patience = 3, ValidationFraction = 0.2f });
        Assert.Equal(StopReason.EarlyStopped, h.StopReason);
        Assert.Equal(h.Epochs.Count - 3, h.BestEpoch);
        Assert.Equal(h.Epochs.Min(e => e.ValidationLoss!.Value), h.BestLoss);
    }

    [Fact]
    public void CancellationStopsBetweenBatches()
    {
        Tensor data = Digits64();
        var model = new DenseAutoencoder(new DenseAutoencoderConfig { Inputs = 64, Hidden = [32], CodeSize = 8 });
        using var cancel = new CancellationTokenSource();
        History h = model.Fit(data, new FitOptions { Epochs = 100 }, new InlineProgress<TrainingProgress>(p => { if (p.Epoch == 2) cancel.Cancel(); }), cancel.Token);
        Assert.Equal(StopReason.Cancelled, h.StopReason);
        Assert.Single(h.Epochs);
    }

    [Fact]
    public void ScalingIsLearnedAppliedAndSavedWithTheDataDescription()
    {
        // Columns on very different scales: the reconstruction comes back in the user's units.
        Tensor data = Digits64() * 100f + 5000f;
        var model = new DenseAutoencoder(new DenseAutoencoderConfig { Inputs = 64, Hidden = [32], CodeSize = 16, Scaling = Scaling.Standard, Output = Activation.Identity })
        {
            Data = new DataDescription(Latent.Imaging.ImageShape.Gray(8, 8)),
        };
        model.Fit(data, new FitOptions { Epochs = 30, BatchSize = 64, LearningRate = 3e-3f });
        float[] x = data.ToArray(), y = model.Reconstruct(data).ToArray();
        double rmse = Math.Sqrt(x.Zip(y, (a, b) => (double)(a - b) * (a - b)).Average());
        Assert.InRange(rmse, 0, 15);   // the columns' own standard deviation is about 30

        using var dir = new TempFolder();
        model.Save(dir.File("m.safetensors"));
        var loaded = DenseAutoencoder.Open(dir.File("m.safetensors"));
        Assert.Equal("standard", loaded.Scaler!.Kind);
        Assert.Equal(Latent.Imaging.ImageShape.Gray(8, 8), loaded.Data!.Image);
        Assert.Equal(y, loaded.Reconstruct(data).ToArray());
    }

    [Fact]
    public void FanInUniformStartsEveryLayerAsPyTorchDoesAndIsSavedWithTheModel()
    {
        var config = new DenseAutoencoderConfig { Inputs = 64, Hidden = [32], CodeSize = 8, CodeActivation = Activation.Relu, Initialization = WeightInit.FanInUniform };
        var model = new DenseAutoencoder(config);
        var parameters = ((ITrainable)model).Network.NamedParameters().ToDictionary(p => p.Name, p => p.Tensor.ToArray());
        foreach (var (name, fanIn) in new[] { ("encoder.0", 64), ("encoder.1", 32), ("decoder.0", 8), ("decoder.1", 32) })
        {
            float bound = 1f / MathF.Sqrt(fanIn);
            float[] weight = parameters[name + ".weight"], bias = parameters[name + ".bias"];
            Assert.All(weight.Concat(bias), v => Assert.InRange(v, -bound, bound));
            Assert.True(weight.Max() > 0.9f * bound && bias.Any(v => v != 0), $"{name} is not spread over ±1/√{fanIn} with a drawn bias");
        }
        // The default (He for ReLU layers) reaches beyond 1/√fan_in and keeps biases at zero.
        var he = ((ITrainable)new DenseAutoencoder(config with { Initialization = WeightInit.He })).Network.NamedParameters().ToDictionary(p => p.Name, p => p.Tensor.ToArray());
        Assert.True(he["encoder.0.weight"].Max() > 1.5f / MathF.Sqrt(64) && he["encoder.0.bias"].All(v => v == 0));

        using var dir = new TempFolder();
        model.Save(dir.File("m.safetensors"));
        Assert.Equal(WeightInit.FanInUniform, DenseAutoencoder.Open(dir.File("m.safetensors")).Config.Initialization);
    }

    [Fact]
    public void BadConfigurationsAreRefused()
    {
        Assert.Throws<ArgumentException>(() => new DenseAutoencoder(new DenseAutoencoderConfig { Inputs = 0 }));
        Assert.Throws<ArgumentException>(() => new DenseAutoencoder(new DenseAutoencoderConfig { Inputs = 4, Output = Activation.Identity, Loss = ReconstructionLoss.BinaryCrossEntropy }));
        Assert.Throws<ArgumentException>(() => new DenseAutoencoder(new DenseAutoencoderConfig { Inputs = 4, Hidden = [0] }));
        Assert.Throws<ArgumentException>(() => new DenseAutoencoder(new DenseAutoencoderConfig { Inputs = 4, Initialization = (WeightInit)7 }));
    }

    [Fact]
    public void AModelFileOfAnotherKindOrNoModelIsRefused()
    {
        using var dir = new TempFolder();
        string path = dir.File("plain.safetensors");
        Latent.Storage.SafeTensorsFile.Save(path, [("w", Tensor.Zeros(2))]);
        var e = Assert.Throws<InvalidDataException>(() => DenseAutoencoder.Open(path));
        Assert.Contains("not a Latent model", e.Message);
        Assert.Throws<FileNotFoundException>(() => ModelFile.OpenAutoencoder(dir.File("missing.safetensors")));
    }
}
