using Latent.Engine;

namespace Latent.Models;

/// <summary>The reconstruction term of the loss.</summary>
public enum ReconstructionLoss
{
    /// <summary>Mean squared error per value.</summary>
    Mse,
    /// <summary>Binary cross-entropy per value, for data in [0, 1] (needs a sigmoid output).</summary>
    BinaryCrossEntropy,
}

/// <summary>An optional penalty that keeps codes sparse.</summary>
public enum Sparsity
{
    /// <summary>No penalty.</summary>
    None,
    /// <summary>weight · mean over rows of Σ|code|.</summary>
    L1,
    /// <summary>weight · Σⱼ KL(target ‖ mean activation of unit j); the code gets a sigmoid activation.</summary>
    KullbackLeibler,
}

/// <summary>How input columns are scaled before training (the model undoes it on output).</summary>
public enum Scaling
{
    /// <summary>The columns as they are.</summary>
    None,
    /// <summary>Each column to [0, 1].</summary>
    MinMax,
    /// <summary>Each column to zero mean and unit variance.</summary>
    Standard,
}

/// <summary>
/// Architecture of a <see cref="DenseAutoencoder"/>: inputs → hidden… → code → reversed hidden… → inputs.
/// Stored in the model file, so that a saved model rebuilds itself.
/// </summary>
public sealed record DenseAutoencoderConfig
{
    /// <summary>Values per row.</summary>
    public required int Inputs { get; init; }
    /// <summary>Encoder widths from the input side; the decoder mirrors them.</summary>
    public int[] Hidden { get; init; } = [128, 64];
    /// <summary>Size of the code.</summary>
    public int CodeSize { get; init; } = 32;
    /// <summary>Activation of the hidden layers.</summary>
    public Activation Activation { get; init; } = Activation.Relu;
    /// <summary>Activation of the code layer (identity keeps the code unconstrained).</summary>
    public Activation CodeActivation { get; init; } = Activation.Identity;
    /// <summary>Sigmoid for data in [0, 1], identity otherwise.</summary>
    public Activation Output { get; init; } = Activation.Sigmoid;
    /// <summary>The reconstruction term of the loss.</summary>
    public ReconstructionLoss Loss { get; init; } = ReconstructionLoss.Mse;
    /// <summary>An optional penalty that keeps codes sparse.</summary>
    public Sparsity Sparsity { get; init; } = Sparsity.None;
    /// <summary>Weight of the sparsity penalty.</summary>
    public float SparsityWeight { get; init; } = 1e-3f;
    /// <summary>Target mean activation of each code unit for <see cref="Sparsity.KullbackLeibler"/>.</summary>
    public float SparsityTarget { get; init; } = 0.05f;
    /// <summary>Weight of the contractive penalty ‖∂code/∂input‖²_F (0 = off).</summary>
    public float ContractiveWeight { get; init; }
    /// <summary>How input columns are scaled before training (undone on output).</summary>
    public Scaling Scaling { get; init; } = Scaling.None;
    /// <summary>
    /// He for the ReLU layers (Glorot for the others) by default; <see cref="WeightInit.FanInUniform"/> reproduces a
    /// PyTorch model's start (the reference of bench dense).
    /// </summary>
    public WeightInit Initialization { get; init; } = WeightInit.He;
    /// <summary>Seeds the initial weights.</summary>
    public ulong Seed { get; init; }

    /// <summary>
    /// The one rule for how the output meets the data, used wherever Latent builds a model for the user's data: data
    /// in [0, 1] (images, already scaled tables) gets a sigmoid output trained with binary cross-entropy and no scaling;
    /// anything else standardised columns, an identity output and mean squared error. The layers keep their defaults.
    /// </summary>
    public static DenseAutoencoderConfig For(Tensor data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Rank != 2) throw new ArgumentException($"An autoencoder learns rows [rows, columns]; got shape [{string.Join(", ", data.Shape)}].");
        bool unit = Data.ValueRange.InUnitRange(data);
        return new DenseAutoencoderConfig
        {
            Inputs = data.Dim(1),
            Output = unit ? Activation.Sigmoid : Activation.Identity,
            Loss = unit ? ReconstructionLoss.BinaryCrossEntropy : ReconstructionLoss.Mse,
            Scaling = unit ? Scaling.None : Scaling.Standard,
        };
    }

    internal void Validate()
    {
        if (Inputs < 1) throw new ArgumentException($"The number of inputs must be at least 1, not {Inputs}.");
        if (CodeSize < 1) throw new ArgumentException($"The code size must be at least 1, not {CodeSize}.");
        if (Hidden.Any(h => h < 1)) throw new ArgumentException($"Hidden layer widths must be at least 1; got [{string.Join(", ", Hidden)}].");
        if (Loss == ReconstructionLoss.BinaryCrossEntropy && Output != Activation.Sigmoid)
            throw new ArgumentException("Binary cross-entropy needs a sigmoid output (data in [0, 1]).");
        if (Output is not (Activation.Sigmoid or Activation.Identity))
            throw new ArgumentException($"The output activation must be sigmoid or identity, not {Output}.");
        if (Sparsity == Sparsity.KullbackLeibler && !(SparsityTarget > 0 && SparsityTarget < 1))
            throw new ArgumentException($"The sparsity target must be in (0, 1), not {SparsityTarget}.");
        if (!(SparsityWeight >= 0) || !(ContractiveWeight >= 0))
            throw new ArgumentException("Penalty weights must be ≥ 0.");
        if (!Enum.IsDefined(Initialization)) throw new ArgumentException($"Unknown initialisation {Initialization}.");
    }
}
