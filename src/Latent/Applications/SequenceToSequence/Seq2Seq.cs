using Latent.Engine;
using Latent.Engine.Nn;
using Latent.Models;
using Latent.Models.Sequence;
using Latent.Training;

namespace Latent.Applications.SequenceToSequence;

/// <summary>
/// Learns to write a target sequence of tokens for a source sequence (reversing, sorting, translating, next steps) with a
/// recurrent encoder–decoder: the encoder reads the source into a state that starts the decoder, which writes the target
/// one token at a time. Each side has its own vocabulary, taken from the training pairs; a source token never seen in
/// training reads as a zero input. When every training target has the same length the model writes exactly that many
/// tokens; otherwise it learns an end token and stops there (or at <see cref="Seq2SeqOptions.MaxLength"/>).
/// </summary>
/// <example>
/// <code>
/// Seq2Seq model = Seq2Seq.Fit(SequencePairsFile.Read("pairs.csv"));
/// string[] reversed = model.Predict(["4", "12", "7"]);
/// string[] best = model.Predict(["4", "12", "7"], beam: 4);
/// model.Save("s2s.safetensors");
/// </code>
/// </example>
[ModelKind("seq2seq", "a sequence-to-sequence model")]
public sealed class Seq2Seq : ITrainable, ISavedModel
{
    private const string StartToken = "<s>", EndToken = "</s>", UnknownToken = "<unk>";
    private const int StartId = 0, EndId = 1, UnknownId = 0;
    private const int InferenceChunk = 256;   // sources decoded per batch

    private readonly Settings _settings;
    private readonly TokenVocabulary _source, _target;
    private readonly Seq2SeqNetwork _network;
    private readonly SequenceDecoder _decoder;
    private int[][]? _trainSources, _trainTargets;   // ids, while fitting

    private Seq2Seq(Settings settings, Seq2SeqNetwork network)
    {
        _settings = settings;
        _source = new TokenVocabulary(settings.SourceTokens);
        _target = new TokenVocabulary(settings.TargetTokens);
        _network = network;
        _decoder = new SequenceDecoder(network, StartId, settings.FixedLength is null ? EndId : -1, settings.FixedLength ?? settings.MaxLength);
    }

    /// <summary>What the model was built with, and its vocabularies (saved with it).</summary>
    private sealed record Settings(Seq2SeqOptions Options, string[] SourceTokens, string[] TargetTokens, int? FixedLength, int MaxLength)
    {
        public Seq2SeqNetworkConfig Network => new(SourceTokens.Length, TargetTokens.Length, Options.Cell, Options.Hidden, Options.Layers,
            Options.Bidirectional, Options.Dropout, Options.EmbeddingSize);
    }

    /// <summary>The options the model was trained with.</summary>
    public Seq2SeqOptions Options => _settings.Options;

    /// <summary>The history of training, or null for an opened model.</summary>
    public History? History { get; private set; }

    /// <summary>The length of every prediction when all training targets had one length; null when they end with an end token.</summary>
    public int? FixedLength => _settings.FixedLength;

    Module ITrainable.Network => _network;

    /// <summary>Trains on source → target pairs.</summary>
    /// <exception cref="ArgumentException">No pairs, an empty sequence, or invalid options.</exception>
    public static Seq2Seq Fit(IReadOnlyList<SequencePair> pairs, Seq2SeqOptions? options = null, IProgress<TrainingProgress>? progress = null,
        CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        options ??= new Seq2SeqOptions();
        options.Validate();
        if (pairs.Count < 2) throw new ArgumentException($"A sequence-to-sequence model needs at least 2 training pairs; got {pairs.Count}.");
        for (int i = 0; i < pairs.Count; i++)
            if (pairs[i] is null || pairs[i].Source.Count == 0 || pairs[i].Target.Count == 0)
                throw new ArgumentException($"Pair {i} has an empty {(pairs[i]?.Source.Count > 0 ? "target" : "source")} sequence.");
        foreach (string reserved in (string[])[StartToken, EndToken, UnknownToken])
            if (pairs.Any(p => p.Source.Contains(reserved) || p.Target.Contains(reserved)))
                throw new ArgumentException($"The token '{reserved}' is reserved for the model's own use; rename it in the data.");
        var source = TokenVocabulary.Of(pairs.Select(p => p.Source), UnknownToken);
        var target = TokenVocabulary.Of(pairs.Select(p => p.Target), StartToken, EndToken);
        int longest = pairs.Max(p => p.Target.Count);
        int? fixedLength = pairs.All(p => p.Target.Count == longest) ? longest : null;
        var settings = new Settings(options, [.. source.Tokens], [.. target.Tokens], fixedLength, options.MaxLength ?? 2 * longest);

        var model = new Seq2Seq(settings, new Seq2SeqNetwork(settings.Network, new Rng(options.Training.Seed)))
        {
            _trainSources = [.. pairs.Select(p => Ids(source, p.Source, UnknownId))],
            _trainTargets = [.. pairs.Select(p => Ids(target, p.Target, UnknownId))],
        };
        using Tensor rows = Tensor.FromArray([.. Enumerable.Range(0, pairs.Count).Select(r => (float)r)], pairs.Count, 1);
        try
        {
            model.History = Trainer.Fit(model, rows, options.Training, progress, cancel);
        }
        finally
        {
            model._trainSources = model._trainTargets = null;
        }
        model._network.Eval();
        return model;
    }

    private static int[] Ids(TokenVocabulary vocabulary, IReadOnlyList<string> tokens, int unknown)
    {
        var ids = new int[tokens.Count];
        for (int i = 0; i < ids.Length; i++) ids[i] = vocabulary.IdOf(tokens[i], unknown);
        return ids;
    }

    Tensor ITrainable.Loss(Tensor batch, Rng rng)
    {
        ReadOnlySpan<float> rowNumbers = batch.Span;
        var sources = new int[rowNumbers.Length][];
        var targets = new int[rowNumbers.Length][];
        for (int i = 0; i < sources.Length; i++)
        {
            sources[i] = _trainSources![(int)rowNumbers[i]];
            targets[i] = _trainTargets![(int)rowNumbers[i]];
        }
        // The decoder reads <s> + target and writes target (+ </s> when lengths vary), step by step in time-major order.
        bool ends = _settings.FixedLength is null;
        int[][] labels = ends ? [.. targets.Select(t => (int[])[.. t, EndId])] : targets;
        RecurrentState state = _network.Encode(sources);
        Tensor logits = Options.TeacherForcing >= 1f
            ? _network.Logits(state, [.. labels.Select(l => (int[])[StartId, .. l[..^1]])]).Logits
            : SampledLogits(state, labels, rng);
        int batchSize = labels.Length, steps = labels.Max(l => l.Length);
        var valid = new List<int>(steps * batchSize);
        var classes = new List<int>(steps * batchSize);
        for (int t = 0; t < steps; t++)
            for (int b = 0; b < batchSize; b++)
                if (t < labels[b].Length)
                {
                    valid.Add(t * batchSize + b);
                    classes.Add(labels[b][t]);
                }
        if (valid.Count < steps * batchSize) logits = Ops.SelectRows(logits, [.. valid]);
        return Engine.Losses.Loss.CrossEntropy(logits, [.. classes]);
    }

    /// <summary>Decoder logits when each step reads the true previous token with probability TeacherForcing, else the model's own guess.</summary>
    private Tensor SampledLogits(RecurrentState state, int[][] labels, Rng rng)
    {
        int batch = labels.Length, steps = labels.Max(l => l.Length);
        int[][] inputs = [.. labels.Select(_ => new[] { StartId })];
        var logits = new Tensor[steps];
        for (int t = 0; t < steps; t++)
        {
            (logits[t], state) = _network.Logits(state, inputs);
            int tokens = logits[t].Dim(1);
            for (int b = 0; b < batch; b++)
            {
                bool forced = rng.NextFloat() < Options.TeacherForcing;
                int truth = t < labels[b].Length ? labels[b][t] : EndId;
                inputs[b] = [forced ? truth : System.Numerics.Tensors.TensorPrimitives.IndexOfMax(logits[t].Span.Slice(b * tokens, tokens))];
            }
        }
        return Ops.Concat(logits, 0);
    }

    // ------------------------------------------------------------------ use

    /// <summary>The predicted target of one source sequence: greedy decoding, or beam search of width <paramref name="beam"/>.</summary>
    /// <exception cref="ArgumentException">An empty source, or a beam width below 1.</exception>
    public string[] Predict(IReadOnlyList<string> source, int beam = 1) => Predict([source], beam)[0];

    /// <summary>The predicted target of each source sequence, in order (greedy decoding in batches, or beam search per source).</summary>
    /// <exception cref="ArgumentException">An empty source, or a beam width below 1.</exception>
    public string[][] Predict(IReadOnlyList<IReadOnlyList<string>> sources, int beam = 1)
    {
        ArgumentNullException.ThrowIfNull(sources);
        if (beam < 1) throw new ArgumentException($"The beam width must be at least 1, not {beam}.");
        var ids = new int[sources.Count][];
        for (int i = 0; i < ids.Length; i++)
        {
            if (sources[i] is null || sources[i].Count == 0) throw new ArgumentException($"Source {i} is an empty sequence; a model needs at least one token to read.");
            ids[i] = Ids(_source, sources[i], UnknownId);
        }
        var written = new int[ids.Length][];
        if (beam == 1)
            for (int start = 0; start < ids.Length; start += InferenceChunk)
            {
                int[][] chunk = _decoder.Greedy(ids[start..Math.Min(ids.Length, start + InferenceChunk)]);
                chunk.CopyTo(written, start);
            }
        else
            for (int i = 0; i < ids.Length; i++) written[i] = _decoder.Beam(ids[i], beam);
        return [.. written.Select(Tokens)];
    }

    /// <summary>Beam search for one source, also of width 1 (which <see cref="Predict(IReadOnlyList{string}, int)"/> does greedily).</summary>
    internal string[] BeamSearch(IReadOnlyList<string> source, int width) => Tokens(_decoder.Beam(Ids(_source, source, UnknownId), width));

    private string[] Tokens(int[] ids) => [.. ids.Select(id => _target.Tokens[id])];

    /// <summary>Exact-sequence and per-token accuracy of the predictions for <paramref name="pairs"/>.</summary>
    /// <exception cref="ArgumentException">No pairs, or an empty source.</exception>
    public Seq2SeqEvaluation Evaluate(IReadOnlyList<SequencePair> pairs, int beam = 1)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        if (pairs.Count == 0) throw new ArgumentException("Evaluation needs at least one pair.");
        string[][] predicted = Predict([.. pairs.Select(p => p.Source)], beam);
        int exact = 0;
        long right = 0, positions = 0;
        for (int i = 0; i < pairs.Count; i++)
        {
            IReadOnlyList<string> target = pairs[i].Target;
            if (predicted[i].SequenceEqual(target)) exact++;
            for (int t = 0; t < target.Count; t++)
                if (t < predicted[i].Length && predicted[i][t] == target[t]) right++;
            positions += target.Count;
        }
        return new Seq2SeqEvaluation(pairs.Count, (double)exact / pairs.Count, positions == 0 ? 0 : (double)right / positions);
    }

    // ------------------------------------------------------------------ files

    /// <summary>Writes the model (network, vocabularies, options) to a safetensors file, atomically.</summary>
    public void Save(string path) => ModelFile.Save(path, ((ISavedModel)this).Content());

    ModelContent ISavedModel.Content() => ModelFile.Content(this, _settings, _network, History, scaler: null, data: null);

    /// <summary>Reads a model saved by <see cref="Save"/>; refuses other files with a clear message.</summary>
    /// <exception cref="InvalidDataException">Not a sequence-to-sequence model file, or a damaged one.</exception>
    public static Seq2Seq Open(string path)
    {
        var (content, settings) = ModelFile.Read<Seq2Seq, Settings>(path, s =>
        {
            if (s.Options is null || s.SourceTokens is null || s.TargetTokens is null || s.SourceTokens.Length < 1 || s.TargetTokens.Length < 2 || s.MaxLength < 1
                || s.FixedLength is < 1) throw new ArgumentException("bad settings");
            s.Options.Validate();
            _ = new TokenVocabulary(s.SourceTokens);
            _ = new TokenVocabulary(s.TargetTokens);
        });
        var network = new Seq2SeqNetwork(settings.Network, new Rng(0));
        ModelFile.AssignTensors(path, network, content.Tensors);
        network.Eval();
        return new Seq2Seq(settings, network);
    }
}
