namespace Latent.Models.Sequence;

/// <summary>The shape of a <see cref="Seq2SeqNetwork"/>.</summary>
/// <param name="SourceTokens">Source vocabulary size (id 0 is the unknown token, which reads as a zero input).</param>
/// <param name="TargetTokens">Target vocabulary size (the decoder reads and writes these ids).</param>
/// <param name="Cell">LSTM or GRU, for the encoder and the decoder.</param>
/// <param name="Hidden">Units per encoder layer and direction; the decoder has Hidden × directions so that it starts from the encoder's state.</param>
/// <param name="Layers">Stacked layers in the encoder and in the decoder.</param>
/// <param name="Bidirectional">Whether the encoder also reads each source backwards.</param>
/// <param name="Dropout">Dropout between stacked layers while training.</param>
/// <param name="EmbeddingSize">Learned token vectors of this size, or 0 for one-hot inputs.</param>
internal sealed record Seq2SeqNetworkConfig(int SourceTokens, int TargetTokens, RecurrentCell Cell, int Hidden, int Layers, bool Bidirectional,
    float Dropout, int EmbeddingSize);
