namespace Latent.Models.Sequence;

/// <summary>
/// Architecture of a <see cref="SequenceAutoencoder"/>: windows of <see cref="Steps"/> time steps of
/// <see cref="Features"/> values each. Stored in the model file, so that a saved model rebuilds itself.
/// </summary>
public sealed record SequenceAutoencoderConfig
{
    /// <summary>Time steps per window.</summary>
    public required int Steps { get; init; }

    /// <summary>Values per time step (1 for a single series).</summary>
    public int Features { get; init; } = 1;

    /// <summary>Units of each recurrent layer; the code is the encoder's final hidden state, this size.</summary>
    public int Hidden { get; init; } = 64;

    /// <summary>Stacked recurrent layers in the encoder and in the decoder.</summary>
    public int Layers { get; init; } = 1;

    /// <summary>LSTM or GRU.</summary>
    public RecurrentCell Cell { get; init; } = RecurrentCell.Lstm;

    /// <summary>
    /// Standard: each feature to zero mean and unit variance over all steps of the training windows (one mean per
    /// feature, not per position in the window); None: the values as they are.
    /// </summary>
    public Scaling Scaling { get; init; } = Scaling.Standard;

    /// <summary>Seeds the initial weights.</summary>
    public ulong Seed { get; init; }

    /// <summary>Values per row (a flattened window, step by step).</summary>
    public int Inputs => Steps * Features;

    internal void Validate()
    {
        if (Steps is < 1 or > 100_000) throw new ArgumentException($"A window needs 1 to 100000 steps, not {Steps}.");
        if (Features is < 1 or > 100_000) throw new ArgumentException($"A step needs 1 to 100000 features, not {Features}.");
        if (Hidden is < 1 or > 8192) throw new ArgumentException($"Hidden must be between 1 and 8192 units, not {Hidden}.");
        if (Layers is < 1 or > 16) throw new ArgumentException($"Layers must be between 1 and 16, not {Layers}.");
        if (!Enum.IsDefined(Cell)) throw new ArgumentException($"The cell must be Lstm or Gru, not {Cell}.");
        if (Scaling is not (Scaling.None or Scaling.Standard)) throw new ArgumentException($"A sequence autoencoder scales by Standard or None, not {Scaling}.");
    }
}
