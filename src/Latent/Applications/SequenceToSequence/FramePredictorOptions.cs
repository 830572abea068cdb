using Latent.Training;

namespace Latent.Applications.SequenceToSequence;

/// <summary>How a <see cref="FramePredictor"/> is built and trained.</summary>
public sealed record FramePredictorOptions
{
    /// <summary>Frames the model watches (Srivastava et al.'s Moving MNIST setting: 10 in, 10 out).</summary>
    public int InputFrames { get; init; } = 10;

    /// <summary>Frames it predicts after them.</summary>
    public int OutputFrames { get; init; } = 10;

    /// <summary>Size of each frame's code, between the convolutional encoder and the LSTM.</summary>
    public int CodeSize { get; init; } = 256;

    /// <summary>Units of the encoder and decoder LSTMs.</summary>
    public int Hidden { get; init; } = 256;

    /// <summary>
    /// The softmax temperature over each pixel's sources when predicting (training always uses 1). Trained with 1, a pixel
    /// whose source is uncertain takes a little of each candidate, and every predicted frame, made from the one before,
    /// spreads that haze further; below 1 each pixel takes mostly its likeliest source, so frames stay sharp.
    /// </summary>
    public float Temperature { get; init; } = 0.1f;

    /// <summary>
    /// The training loop's settings: Adam at 10⁻³ in batches of 16 clips for 3 epochs, 10 % held out to keep the best epoch
    /// (on 8,000 Moving-MNIST clips, about 8 minutes an epoch on 2 cores).
    /// </summary>
    public FitOptions Training { get; init; } = new() { Epochs = 3, BatchSize = 16, LearningRate = 1e-3f, ValidationFraction = 0.1f };

    internal void Validate()
    {
        if (InputFrames is < 1 or > 1000 || OutputFrames is < 1 or > 1000)
            throw new ArgumentException($"A frame predictor watches and predicts 1 to 1000 frames; got {InputFrames} in, {OutputFrames} out.");
        if (CodeSize is < 1 or > 65536) throw new ArgumentException($"The code size must be between 1 and 65536, not {CodeSize}.");
        if (Hidden is < 1 or > 8192) throw new ArgumentException($"Hidden must be between 1 and 8192 units, not {Hidden}.");
        if (!(Temperature > 0 && Temperature <= 1)) throw new ArgumentException($"The temperature must be above 0 and at most 1, not {Temperature}.");
        if (Training is null) throw new ArgumentException("FramePredictorOptions.Training must be set.");
        Training.Validate();
    }
}
