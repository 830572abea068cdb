using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using Latent.Engine;
using Latent.Engine.Nn;

namespace Latent.Models.Sequence;

/// <summary>
/// Writes target sequences with a trained <see cref="Seq2SeqNetwork"/>, one token per decoder step fed back as the next
/// input: greedy (the likeliest token each step, a batch of sources at once) or beam search (the <c>width</c> likeliest
/// partial sequences kept at each step, for one source). Ties go to the lower token id, so a beam of width 1 is greedy.
/// </summary>
/// <param name="network">The trained network (inference mode).</param>
/// <param name="startId">The token the decoder reads first.</param>
/// <param name="endId">The token that ends a sequence, or −1 when every sequence has exactly <paramref name="maxLength"/> tokens.</param>
/// <param name="maxLength">The most tokens written (then the sequence stops, ended or not).</param>
internal sealed class SequenceDecoder(Seq2SeqNetwork network, int startId, int endId, int maxLength)
{
    /// <summary>The likeliest token at every step, for each source (ids).</summary>
    public int[][] Greedy(IReadOnlyList<int[]> sources)
    {
        using var _ = Tensor.NoGrad();
        int batch = sources.Count;
        RecurrentState state = network.Encode(sources);
        var written = Enumerable.Range(0, batch).Select(_ => new List<int>()).ToArray();
        var done = new bool[batch];
        int[][] inputs = [.. Enumerable.Range(0, batch).Select(_ => new[] { startId })];
        for (int step = 0; step < maxLength && !done.All(d => d); step++)
        {
            (Tensor logits, state) = network.Logits(state, inputs);
            for (int b = 0; b < batch; b++)
            {
                int next = TensorPrimitives.IndexOfMax(logits.Span.Slice(b * logits.Dim(1), logits.Dim(1)));   // the first of equal ones
                inputs[b][0] = next;
                if (done[b]) continue;
                if (next == endId) done[b] = true;
                else written[b].Add(next);
            }
        }
        return [.. written.Select(w => w.ToArray())];
    }

    /// <summary>
    /// The sequence with the highest mean log-probability per token (the end token included) among those beam search
    /// finds for one source, keeping <paramref name="width"/> partial sequences at each step.
    /// </summary>
    public int[] Beam(int[] source, int width)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        using var _ = Tensor.NoGrad();
        RecurrentState state = network.Encode([source]);
        var beams = new List<Hypothesis> { new([], 0) };
        var finished = new List<Hypothesis>();
        for (int step = 0; step < maxLength && beams.Count > 0 && finished.Count < width; step++)
        {
            (Tensor logits, RecurrentState next) = network.Logits(state, [.. beams.Select(h => new[] { h.Tokens.Length == 0 ? startId : h.Tokens[^1] })]);
            int tokens = logits.Dim(1);
            var candidates = new List<(int Beam, int Token, double Score)>();
            for (int i = 0; i < beams.Count; i++)
            {
                double[] logProbabilities = LogSoftmax(logits.Span.Slice(i * tokens, tokens));
                foreach (int token in TopIds(logProbabilities, width))
                    candidates.Add((i, token, beams[i].Score + logProbabilities[token]));
            }
            var kept = new List<Hypothesis>();
            var parents = new List<int>();
            foreach (var (beam, token, score) in candidates.OrderByDescending(c => c.Score))   // a stable sort: ties keep beam, then token order
            {
                if (kept.Count + finished.Count >= width) break;
                if (token == endId) finished.Add(new Hypothesis(beams[beam].Tokens, score, Ended: true));
                else
                {
                    kept.Add(new Hypothesis([.. beams[beam].Tokens, token], score));
                    parents.Add(beam);
                }
            }
            beams = kept;
            if (beams.Count > 0) state = SelectRows(next, [.. parents]);
        }
        finished.AddRange(beams);
        return finished.MaxBy(h => h.Score / Math.Max(1, h.Tokens.Length + (h.Ended ? 1 : 0)))!.Tokens;
    }

    private sealed record Hypothesis(int[] Tokens, double Score, bool Ended = false);

    private static double[] LogSoftmax(ReadOnlySpan<float> logits)
    {
        double max = double.NegativeInfinity, sum = 0;
        foreach (float z in logits) max = Math.Max(max, z);
        foreach (float z in logits) sum += Math.Exp(z - max);
        double log = max + Math.Log(sum);
        var result = new double[logits.Length];
        for (int i = 0; i < result.Length; i++) result[i] = logits[i] - log;
        return result;
    }

    /// <summary>The ids of the <paramref name="count"/> largest values, largest first, ties to the lower id.</summary>
    private static IEnumerable<int> TopIds(double[] values, int count) =>
        Enumerable.Range(0, values.Length).OrderByDescending(i => values[i]).Take(count);

    /// <summary>The state of the chosen beams, in order: rows <paramref name="rows"/> of every [layers, beams, hidden] tensor.</summary>
    private static RecurrentState SelectRows(RecurrentState state, int[] rows)
    {
        Tensor Select(Tensor s)
        {
            int layers = s.Dim(0), beams = s.Dim(1), hidden = s.Dim(2);
            var selected = Tensor.Zeros(layers, rows.Length, hidden);
            for (int l = 0; l < layers; l++)
                for (int i = 0; i < rows.Length; i++)
                    s.Span.Slice((l * beams + rows[i]) * hidden, hidden).CopyTo(selected.Span.Slice((l * rows.Length + i) * hidden, hidden));
            return selected;
        }
        return new RecurrentState(Select(state.Hidden), state.Cell is null ? null : Select(state.Cell));
    }
}
