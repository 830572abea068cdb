using Latent.Applications.Denoising;
using Latent.Applications.Generation;
using Latent.Data;
using Latent.Engine;
using Latent.Models;
using Latent.Training.Recipes;

namespace Latent.Tests.Training;

/// <summary>The recipes behind `latent train`: found by kind, defaults from the library, refusals before training.</summary>
public class TrainingRecipeTests
{
    private static readonly Dataset DigitsTrain = Datasets.Load("digits", Split.Train);

    [Fact]
    public void EveryKindIsFoundAndDenseComesFirst()
    {
        Assert.Equal("dense", TrainingRecipe.All[0].Kind);
        Assert.Equal(["conv", "dense", "unet", "vae"], TrainingRecipe.All.Select(r => r.Kind).Order());
        Assert.Contains("dense, conv, unet, vae", Assert.Throws<ArgumentException>(() => TrainingRecipe.Find("lstm")).Message);
    }

    [Fact]
    public void DenseFollowsTheDataRangeRuleUnlessTheUserChooses()
    {
        TrainingResult result = TrainingRecipe.Find("dense").Prepare(new TrainSettings { Data = DigitsTrain, Epochs = 1, CodeSize = 4 }).Run();
        var model = Assert.IsType<DenseAutoencoder>(result.Model);
        Assert.Equal((Activation.Sigmoid, ReconstructionLoss.BinaryCrossEntropy, Scaling.None), (model.Config.Output, model.Config.Loss, model.Config.Scaling));
        Assert.True(result.HasReport);
        Assert.True(TrainingRecipe.Find("dense").WritesReport);
        Assert.IsType<float>(result.Figures["reconstruction_mse"]);

        TrainingRun identity = TrainingRecipe.Find("dense").Prepare(new TrainSettings { Data = DigitsTrain, Output = "identity", Epochs = 1 });
        var chosen = Assert.IsType<DenseAutoencoder>(identity.Run().Model);
        Assert.Equal((Activation.Identity, ReconstructionLoss.Mse), (chosen.Config.Output, chosen.Config.Loss));
    }

    [Fact]
    public void SettingsARecipeDoesNotUseAndDataItCannotLearnAreRefusedBeforeTraining()
    {
        var table = new Dataset("table", Tensor.Full(2f, 10, 4));
        Assert.Contains("needs images", Assert.Throws<ArgumentException>(() => TrainingRecipe.Find("conv").Prepare(new TrainSettings { Data = table })).Message);
        Assert.Contains("noise", Assert.Throws<ArgumentException>(() => TrainingRecipe.Find("dense").Prepare(
            new TrainSettings { Data = DigitsTrain, Noise = new ImageNoise(NoiseKind.Gaussian, 0.5f) })).Message);
        Assert.Contains("has none", Assert.Throws<ArgumentException>(() => TrainingRecipe.Find("vae").Prepare(new TrainSettings { Data = table, Conditional = true })).Message);
        Assert.Contains("Epochs", Assert.Throws<ArgumentException>(() => TrainingRecipe.Find("vae").Prepare(new TrainSettings { Data = DigitsTrain, Epochs = 0 })).Message);
        Assert.Contains("activation 'swish'", Assert.Throws<ArgumentException>(() => TrainingRecipe.Find("dense").Prepare(new TrainSettings { Data = DigitsTrain, Activation = "swish" })).Message);
    }

    [Fact]
    public void TheVaeRecipeGivesImagesABernoulliLikelihoodAndTheConvRecipeADenoiserThatRemembersItsNoise()
    {
        TrainingResult vae = TrainingRecipe.Find("vae").Prepare(new TrainSettings { Data = DigitsTrain, Epochs = 1, Hidden = [16], CodeSize = 2 }).Run();
        Assert.Equal(Likelihood.Bernoulli, Assert.IsType<Generator>(vae.Model).Model.Config.Likelihood);
        Assert.Equal(TrainingRecipe.Find("vae").WritesReport, vae.HasReport);

        var noise = new ImageNoise(NoiseKind.Masking, 0.25f);
        TrainingResult conv = TrainingRecipe.Find("conv").Prepare(new TrainSettings { Data = DigitsTrain, Epochs = 1, Filters = [4, 4], Noise = noise }).Run();
        Assert.NotNull(conv.Figures["psnr_denoised_db"]);
        Assert.Equal(TrainingRecipe.Find("conv").WritesReport, conv.HasReport);
        using var folder = new TempFolder();
        conv.Save(folder.File("denoiser.safetensors"));
        Assert.Equal(noise, Denoiser.Open(folder.File("denoiser.safetensors")).Noise);
        Assert.Equal("conv", ModelFile.KindOf(folder.File("denoiser.safetensors")));
    }
}
