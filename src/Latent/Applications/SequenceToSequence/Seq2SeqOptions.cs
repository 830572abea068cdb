using Latent.Models.Sequence;
using Latent.Training;

namespace Latent.Applications.SequenceToSequence;

/// <summary>
/// How a <see cref="Seq2Seq"/> model is built and trained. The network's defaults are Brownlee's encoder–decoder (one LSTM
/// layer of 128 units each side, one-hot tokens, batches of 32), the standard small model Keras users start from.
/// </summary>
public sealed record Seq2SeqOptions
{
    /// <summary>LSTM or GRU, for the encoder and the decoder.</summary>
    public RecurrentCell Cell { get; init; } = RecurrentCell.Lstm;

    /// <summary>Units per encoder layer and direction (a bidirectional encoder's decoder has twice as many).</summary>
    public int Hidden { get; init; } = 128;

    /// <summary>Stacked recurrent layers in the encoder and in the decoder.</summary>
    public int Layers { get; init; } = 1;

    /// <summary>Whether the encoder also reads each source backwards (its two final states are joined for the decoder).</summary>
    public bool Bidirectional { get; init; }

    /// <summary>Dropout between stacked layers while training (no effect with one layer).</summary>
    public float Dropout { get; init; }

    /// <summary>
    /// Learned token vectors of this size, or 0 for one-hot inputs (the default: exact for small vocabularies, as in
    /// Brownlee's task; for thousands of tokens a learned embedding of 64–256 is much cheaper).
    /// </summary>
    public int EmbeddingSize { get; init; }

    /// <summary>
    /// The share of decoder steps that read the true previous token while training; the rest read the model's own
    /// prediction (scheduled sampling, Bengio et al. 2015). 1 (the default) trains the whole target in one pass.
    /// </summary>
    public float TeacherForcing { get; init; } = 1f;

    /// <summary>
    /// The most tokens a prediction may have when targets vary in length; null: twice the longest training target.
    /// When every training target has the same length, predictions have exactly that length and no end token is learned.
    /// </summary>
    public int? MaxLength { get; init; }

    /// <summary>
    /// The training loop's settings: 10 epochs of Adam in batches of 32, 10 % held out to keep the best epoch. The learning
    /// rate, 3·10⁻³, was chosen on 5,000 pairs held out of Brownlee's 100,000 training pairs (`bench seq2seq --validate`):
    /// 99.52 % of them exactly right after 2 epochs at Keras's 10⁻³, 100 % at 3·10⁻³.
    /// </summary>
    public FitOptions Training { get; init; } = new() { Epochs = 10, BatchSize = 32, LearningRate = 3e-3f, ValidationFraction = 0.1f };

    /// <summary>Refuses impossible settings; the messages name each setting.</summary>
    internal void Validate()
    {
        if (!Enum.IsDefined(Cell)) throw new ArgumentException($"The cell must be Lstm or Gru, not {Cell}.");
        if (Hidden is < 1 or > 8192) throw new ArgumentException($"Hidden must be between 1 and 8192 units, not {Hidden}.");
        if (Layers is < 1 or > 16) throw new ArgumentException($"Layers must be between 1 and 16, not {Layers}.");
        if (!(Dropout >= 0f && Dropout < 1f)) throw new ArgumentException($"Dropout must be in [0, 1), not {Dropout}.");
        if (EmbeddingSize is < 0 or > 8192) throw new ArgumentException($"The embedding size must be between 0 (one-hot) and 8192, not {EmbeddingSize}.");
        if (!(TeacherForcing >= 0f && TeacherForcing <= 1f)) throw new ArgumentException($"Teacher forcing must be a share between 0 and 1, not {TeacherForcing}.");
        if (MaxLength is < 1) throw new ArgumentException($"The maximum length must be at least 1 token, not {MaxLength}.");
        if (Training is null) throw new ArgumentException("Seq2SeqOptions.Training must be set.");
        Training.Validate();
    }
}
