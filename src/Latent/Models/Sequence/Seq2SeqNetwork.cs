using Latent.Engine;
using Latent.Engine.Nn;

namespace Latent.Models.Sequence;

/// <summary>
/// An encoder–decoder over token sequences (Sutskever et al. 2014, Cho et al. 2014): the encoder reads a batch of sources
/// into its final state, which starts the decoder; the decoder reads the target shifted behind a start token (teacher
/// forcing) or its own previous output, and a linear layer turns each decoder step into logits over the target tokens.
/// Sequences are time-major: step t of row b is row t·batch + b of every [steps·batch, …] matrix here.
/// </summary>
internal sealed class Seq2SeqNetwork : Module
{
    private readonly Embedding? _sourceEmbedding, _targetEmbedding;

    public Seq2SeqNetwork(Seq2SeqNetworkConfig config, Rng rng)
    {
        Config = config;
        int directions = config.Bidirectional ? 2 : 1, decoderHidden = config.Hidden * directions;
        int sourceWidth = config.EmbeddingSize > 0 ? config.EmbeddingSize : config.SourceTokens;
        int targetWidth = config.EmbeddingSize > 0 ? config.EmbeddingSize : config.TargetTokens;
        if (config.EmbeddingSize > 0)
        {
            _sourceEmbedding = AddModule("source_embedding", new Embedding(config.SourceTokens, config.EmbeddingSize, rng));
            _sourceEmbedding.Weight.Span[..config.EmbeddingSize].Clear();   // the unknown token reads as zeros, and never trains
            _targetEmbedding = AddModule("target_embedding", new Embedding(config.TargetTokens, config.EmbeddingSize, rng));
        }
        Encoder = AddModule("encoder", Recurrent(config.Cell, sourceWidth, config.Hidden, config.Layers, config.Bidirectional, config.Dropout, rng));
        Decoder = AddModule("decoder", Recurrent(config.Cell, targetWidth, decoderHidden, config.Layers, false, config.Dropout, rng));
        Output = AddModule("output", new Linear(decoderHidden, config.TargetTokens, rng: rng));
    }

    public Seq2SeqNetworkConfig Config { get; }
    public RecurrentLayer Encoder { get; }
    public RecurrentLayer Decoder { get; }
    public Linear Output { get; }

    /// <summary>Not used: the network reads token ids, see <see cref="Encode"/> and <see cref="Logits"/>.</summary>
    public override Tensor Forward(Tensor input) => throw new NotSupportedException("A sequence-to-sequence network reads token ids: use Encode and Logits.");

    /// <summary>The decoder's starting state for a batch of sources (ids; lengths may differ).</summary>
    public RecurrentState Encode(IReadOnlyList<int[]> sources)
    {
        Tensor inputs = Inputs(sources, _sourceEmbedding, Config.SourceTokens, skipId: 0, out int[] lengths);
        RecurrentState state = Encoder.Run(inputs, lengths: lengths.All(l => l == inputs.Dim(0)) ? default : lengths).State;
        return Config.Bidirectional ? JoinDirections(state) : state;
    }

    /// <summary>
    /// Logits [steps·batch, TargetTokens] of every decoder step (time-major) when the decoder reads
    /// <paramref name="decoderInputs"/> (ids, equal lengths) from <paramref name="state"/>, and the state it ends in.
    /// </summary>
    public (Tensor Logits, RecurrentState State) Logits(RecurrentState state, IReadOnlyList<int[]> decoderInputs)
    {
        Tensor inputs = Inputs(decoderInputs, _targetEmbedding, Config.TargetTokens, skipId: -1, out _);
        SequenceOutput run = Decoder.Run(inputs, state);
        Tensor steps = run.Output.Reshape(inputs.Dim(0) * inputs.Dim(1), run.Output.Dim(2));
        return (Output.Forward(steps), run.State);
    }

    private static RecurrentLayer Recurrent(RecurrentCell cell, int inputs, int hidden, int layers, bool bidirectional, float dropout, Rng rng) =>
        cell == RecurrentCell.Lstm ? new Lstm(inputs, hidden, layers, bidirectional, dropout, rng) : new Gru(inputs, hidden, layers, bidirectional, dropout, rng);

    /// <summary>
    /// Time-major inputs [longest, batch, width] of id sequences: one-hot rows (<paramref name="skipId"/> and steps past a
    /// sequence's end stay all zero) or embedding vectors.
    /// </summary>
    private static Tensor Inputs(IReadOnlyList<int[]> sequences, Embedding? embedding, int tokens, int skipId, out int[] lengths)
    {
        int batch = sequences.Count;
        lengths = [.. sequences.Select(s => s.Length)];
        int steps = lengths.Max();
        if (embedding is null)
        {
            var oneHot = Tensor.Zeros(steps, batch, tokens);
            Span<float> values = oneHot.Span;
            for (int b = 0; b < batch; b++)
                for (int t = 0; t < sequences[b].Length; t++)
                    if (sequences[b][t] != skipId) values[(t * batch + b) * tokens + sequences[b][t]] = 1f;
            return oneHot;
        }
        var ids = new int[steps * batch];   // padding reads id 0: the encoder skips it by the lengths, the loss ignores it after a target's end
        for (int b = 0; b < batch; b++)
            for (int t = 0; t < sequences[b].Length; t++) ids[t * batch + b] = sequences[b][t];
        return embedding.Lookup(ids).Reshape(steps, batch, embedding.Weight.Dim(1));
    }

    /// <summary>A bidirectional encoder's state [layers·2, batch, hidden] as the decoder's [layers, batch, 2·hidden].</summary>
    private RecurrentState JoinDirections(RecurrentState state)
    {
        Tensor Join(Tensor s)
        {
            int batch = s.Dim(1), hidden = s.Dim(2);
            var layers = new Tensor[Config.Layers];
            for (int l = 0; l < layers.Length; l++)
                layers[l] = Ops.Concat([Ops.Slice(s, 0, 2 * l, 1).Reshape(batch, hidden), Ops.Slice(s, 0, 2 * l + 1, 1).Reshape(batch, hidden)], 1)
                    .Reshape(1, batch, 2 * hidden);
            return layers.Length == 1 ? layers[0] : Ops.Concat(layers, 0);
        }
        return new RecurrentState(Join(state.Hidden), state.Cell is null ? null : Join(state.Cell));
    }
}
