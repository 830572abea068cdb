namespace Latent.Engine.Nn;

/// <summary>
/// Long short-term memory layers (PyTorch's equations and gate order i, f, g, o) over time-major sequences.
/// One bias per layer and direction (<c>bias_ih_…</c>; PyTorch's two biases only ever appear summed).
/// <code>
/// var lstm = new Lstm(inputs: 51, hidden: 128);
/// SequenceOutput run = lstm.Run(x);          // x: [6, 32, 51] → run.Output: [6, 32, 128]
/// var decoded = decoder.Run(y, run.State);   // the encoder's final (h, c) starts the decoder
/// </code>
/// </summary>
public sealed class Lstm : RecurrentLayer
{
    /// <summary>
    /// <paramref name="layers"/> stacked layers of <paramref name="hidden"/> units per direction, Keras's initialisation
    /// with a forget-gate bias of 1 (Jozefowicz et al. 2015) drawn from <paramref name="rng"/> (the default source when null).
    /// </summary>
    public Lstm(int inputs, int hidden, int layers = 1, bool bidirectional = false, float dropout = 0f, Rng? rng = null)
        : base(4, inputs, hidden, layers, bidirectional, dropout, rng)
    {
        ResetParameters(rng ?? Rng.Default);
    }

    /// <inheritdoc/>
    public override void ResetParameters(Rng rng)
    {
        base.ResetParameters(rng);
        for (int k = 0; k < Layers * Directions; k++) InputBias(k).Span.Slice(HiddenSize, HiddenSize).Fill(1f);
    }

    private protected override RecurrentOutput RunCell(int cell, Tensor gates, Tensor? hidden, Tensor? cellState, ReadOnlySpan<int> lengths, bool reverse) =>
        Ops.LstmRecurrence(gates, HiddenWeight(cell), hidden, cellState, lengths, reverse);
}
