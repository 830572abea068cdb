using Latent.Applications.Denoising;
using Latent.Data;
using Latent.Engine;
using Latent.Models;

namespace Latent.Training.Recipes;

/// <summary>
/// What a <see cref="TrainingRecipe"/> is asked to train: the data and every choice a user can make. A null choice
/// takes the recipe's default (its model's and training loop's defaults), so a caller passes only what the user gave.
/// A recipe refuses the choices it does not use.
/// </summary>
public sealed record TrainSettings
{
    /// <summary>The training data (rows, or images with their shape; labels and table schema when known).</summary>
    public required Dataset Data { get; init; }

    /// <summary>Held-out data to judge the model on (a named set's test split); null judges it on the training data.</summary>
    public Dataset? Evaluation { get; init; }

    // -- the network
    /// <summary>Dense layer widths from the input side (dense, vae).</summary>
    public int[]? Hidden { get; init; }
    /// <summary>Size of the code.</summary>
    public int? CodeSize { get; init; }
    /// <summary>Hidden-layer activation by name, one of <see cref="ActivationNames"/> ("relu", "leaky-relu", …).</summary>
    public string? Activation { get; init; }
    /// <summary>Output activation (dense, conv): "sigmoid" or "identity"; null follows the data (sigmoid for [0, 1], identity otherwise).</summary>
    public string? Output { get; init; }
    /// <summary>Reconstruction loss; for a vae binary cross-entropy means a Bernoulli and MSE a Gaussian likelihood.</summary>
    public ReconstructionLoss? Loss { get; init; }
    /// <summary>Column scaling learned with the model (dense).</summary>
    public Scaling? Scaling { get; init; }
    /// <summary>Convolution channels per level from the image side (conv, convolutional vae).</summary>
    public int[]? Filters { get; init; }
    /// <summary>Side of the convolution kernels (conv, convolutional vae).</summary>
    public int? KernelSize { get; init; }
    /// <summary>How the conv encoder halves the image.</summary>
    public Downsampling? Downsampling { get; init; }
    /// <summary>How the conv decoder doubles it back.</summary>
    public Upsampling? Upsampling { get; init; }

    // -- the variational autoencoder
    /// <summary>Learn p(x | label) from the data's labels (vae).</summary>
    public bool Conditional { get; init; }
    /// <summary>Strided convolutions instead of dense layers (vae on images).</summary>
    public bool Convolutional { get; init; }
    /// <summary>Weight of the KL term (β-VAE).</summary>
    public float? Beta { get; init; }
    /// <summary>Epochs over which the KL weight rises from 0 to β.</summary>
    public int? KlWarmupEpochs { get; init; }

    // -- denoising (conv)
    /// <summary>Noise added to the training images so that the model learns to remove it.</summary>
    public ImageNoise? Noise { get; init; }
    /// <summary>Noisy versions of <see cref="Data"/>'s images, row for row, to learn noisy → clean pairs.</summary>
    public Dataset? NoisyData { get; init; }

    // -- image to image (unet)
    /// <summary>What a U-Net learns: "colorize" (grayscale → colour from colour images) or "segment" (images → masks).</summary>
    public string? Task { get; init; }
    /// <summary>The U-Net tasks by name, the default first.</summary>
    public static IReadOnlyList<string> Tasks { get; } = ["colorize", "segment"];
    /// <summary>For segmentation: the class id of every pixel of <see cref="Data"/>'s images, image after image.</summary>
    public int[]? Masks { get; init; }

    // -- the training loop
    /// <summary>Passes over the training rows.</summary>
    public int? Epochs { get; init; }
    /// <summary>Rows per training step.</summary>
    public int? BatchSize { get; init; }
    /// <summary>The optimizer's learning rate.</summary>
    public float? LearningRate { get; init; }
    /// <summary>Share of the rows held out to pick the best epoch.</summary>
    public float? ValidationFraction { get; init; }
    /// <summary>Epochs without improvement before training stops early.</summary>
    public int? Patience { get; init; }
    /// <summary>Random moves of the images while training (augmentation).</summary>
    public RandomShift? Shift { get; init; }
    /// <summary>Seeds the weights, the shuffling and the noise: same seed, same model.</summary>
    public ulong Seed { get; init; }

    /// <summary>The activations by name: relu, leaky-relu, elu, sigmoid, tanh, softplus, identity.</summary>
    public static IReadOnlyList<string> ActivationNames { get; } =
        [.. Enum.GetValues<Activation>().Select(Name)];

    internal Activation? HiddenActivation => ParseActivation(Activation, "hidden");

    internal Activation? OutputActivation => ParseActivation(Output, "output");

    private static Activation? ParseActivation(string? name, string what)
    {
        if (name is null) return null;
        foreach (Activation a in Enum.GetValues<Activation>())
            if (Name(a) == name) return a;
        throw new ArgumentException($"Unknown {what} activation '{name}'; choose from {string.Join(", ", ActivationNames)}.");
    }

    private static string Name(Activation a) => string.Concat(a.ToString().Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    /// <summary>The recipe's training loop with the choices made here.</summary>
    internal FitOptions Training(FitOptions defaults) => defaults with
    {
        Epochs = Epochs ?? defaults.Epochs,
        BatchSize = BatchSize ?? defaults.BatchSize,
        LearningRate = LearningRate ?? defaults.LearningRate,
        ValidationFraction = ValidationFraction ?? defaults.ValidationFraction,
        Patience = Patience ?? defaults.Patience,
        Shift = Shift ?? defaults.Shift,
        Seed = Seed,
    };

    /// <summary>Where the model is judged, for sentences: "digits test split" or "training data".</summary>
    internal string EvaluatedOn => Evaluation is null ? "training data" : $"{Evaluation.Name} test split";
}
