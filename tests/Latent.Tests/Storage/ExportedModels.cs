using Latent.Engine;
using Latent.Models;
using Latent.Training;

namespace Latent.Tests.Storage;

/// <summary>
/// Small models that between them use every layer, activation, scaling and option that ONNX export and the PyTorch
/// script (bench/reference/latent_torch.py) handle, with inputs for them.
/// </summary>
internal static class ExportedModels
{
    /// <summary>Each model by name, made afresh on every call.</summary>
    public static readonly IReadOnlyDictionary<string, Func<IAutoencoder>> All = new Dictionary<string, Func<IAutoencoder>>
    {
        // Standard scaling (a leading Sub/Div and a trailing Mul/Add), leaky ReLU, identity output.
        ["dense-scaled"] = () => Fitted(new DenseAutoencoder(new DenseAutoencoderConfig
        {
            Inputs = 12, Hidden = [16, 8], CodeSize = 4, Activation = Activation.LeakyRelu, Output = Activation.Identity, Scaling = Scaling.Standard, Seed = 1,
        }), Tensor.Normal(new Rng(2), 3f, 2f, 40, 12)),
        // Binary cross-entropy: the decoder emits logits, the export adds the sigmoid; ELU and a sigmoid code.
        ["dense-logits"] = () => new DenseAutoencoder(new DenseAutoencoderConfig
        {
            Inputs = 20, Hidden = [10], CodeSize = 5, Activation = Activation.Elu, CodeActivation = Activation.Tanh,
            Loss = ReconstructionLoss.BinaryCrossEntropy, Seed = 3,
        }),
        // Max pooling with "same" padding of odd sizes (10 → 5 → 3), nearest upsampling, unpadded decoder
        // convolutions, batch normalisation (folded), a spatial code.
        ["conv-maxpool-batchnorm"] = () => WithBatchStatistics(new ConvAutoencoder(new ConvAutoencoderConfig
        {
            Channels = 1, Height = 10, Width = 10, Filters = [4, 3], BatchNorm = true, Seed = 4,
        })),
        // Strided and transposed convolutions, colour images, a dense code, tanh, MSE with an identity output.
        ["conv-strided-dense-code"] = () => new ConvAutoencoder(new ConvAutoencoderConfig
        {
            Channels = 3, Height = 8, Width = 8, Filters = [4, 6], Downsampling = Downsampling.StridedConv, Upsampling = Upsampling.TransposedConv,
            CodeSize = 5, Activation = Activation.Tanh, Output = Activation.Identity, Loss = ReconstructionLoss.Mse, Seed = 5,
        }),
        // Bilinear upsampling that overshoots (7 → 4 → 2 → 4 → 8) and is cropped back to 7×7, a 5×5 kernel.
        ["conv-bilinear-crop"] = () => new ConvAutoencoder(new ConvAutoencoderConfig
        {
            Channels = 1, Height = 7, Width = 7, Filters = [3, 2], KernelSize = 5, Upsampling = Upsampling.Bilinear, Activation = Activation.Softplus, Seed = 6,
        }),
        // A conditional Gaussian VAE on standardised rows: labels enter encoder and decoder.
        ["vae-conditional-gaussian"] = () => Fitted(new VariationalAutoencoder(new VariationalAutoencoderConfig
        {
            Inputs = 10, Hidden = [8], CodeSize = 3, Classes = 3, Likelihood = Likelihood.Gaussian, Scaling = Scaling.Standard, Seed = 7,
        }), Tensor.Normal(new Rng(8), -1f, 4f, 30, 10), labels: [.. Enumerable.Range(0, 30).Select(i => i % 3)]),
        // A convolutional Bernoulli VAE.
        ["vae-conv"] = () => new VariationalAutoencoder(new VariationalAutoencoderConfig
        {
            Inputs = 64, Image = new Latent.Imaging.ImageShape(1, 8, 8), Filters = [4, 6], CodeSize = 3, Seed = 9,
        }),
    };

    private static T Fitted<T>(T model, Tensor data, int[]? labels = null) where T : IAutoencoder
    {
        var options = new FitOptions { Epochs = 2, BatchSize = 10, ValidationFraction = 0 };
        if (model is VariationalAutoencoder vae) vae.Fit(data, labels, options);
        else model.Fit(data, options);
        return model;
    }

    /// <summary>Running statistics and affine parameters far from their initial 0/1, so that folding them matters.</summary>
    private static ConvAutoencoder WithBatchStatistics(ConvAutoencoder model)
    {
        var rng = new Rng(11);
        foreach (var (name, tensor) in model.Network.NamedTensors())
        {
            if (name.EndsWith(".running_var", StringComparison.Ordinal) || (tensor.Rank == 1 && name.EndsWith(".weight", StringComparison.Ordinal)))
                rng.FillUniform(tensor.Span, 0.5f, 2f);
            else if (name.EndsWith(".running_mean", StringComparison.Ordinal) || (tensor.Rank == 1 && name.EndsWith(".bias", StringComparison.Ordinal)))
                rng.FillUniform(tensor.Span, -0.5f, 0.5f);
        }
        return model;
    }

    public static int? Conditional(IAutoencoder model) => model is VariationalAutoencoder { IsConditional: true } vae ? vae.Config.Classes : null;

    public static Tensor Rows(IAutoencoder model, Rng rng, int batch) => model is DenseAutoencoder { Config.Scaling: Scaling.Standard } or VariationalAutoencoder { Config.Scaling: Scaling.Standard }
        ? Tensor.Normal(rng, 2f, 3f, batch, model.Inputs)
        : Tensor.Uniform(rng, 0f, 1f, batch, model.Inputs);

    public static Tensor OneHot(int[] labels, int classes)
    {
        var y = Tensor.Zeros(labels.Length, classes);
        for (int i = 0; i < labels.Length; i++) y.Span[i * classes + labels[i]] = 1f;
        return y;
    }
}
