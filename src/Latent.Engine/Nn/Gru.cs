namespace Latent.Engine.Nn;

/// <summary>
/// Gated recurrent unit layers (PyTorch's equations and gate order r, z, n, with separate input and hidden biases)
/// over time-major sequences. See <see cref="Lstm"/> for use; a GRU's state has no cell.
/// </summary>
public sealed class Gru : RecurrentLayer
{
    private readonly List<Tensor> _hiddenBiases = [];

    /// <summary><paramref name="layers"/> stacked layers of <paramref name="hidden"/> units per direction, Keras's initialisation.</summary>
    public Gru(int inputs, int hidden, int layers = 1, bool bidirectional = false, float dropout = 0f, Rng? rng = null)
        : base(3, inputs, hidden, layers, bidirectional, dropout, rng)
    {
        ResetParameters(rng ?? Rng.Default);
    }

    /// <inheritdoc/>
    public override void ResetParameters(Rng rng)
    {
        base.ResetParameters(rng);
        foreach (Tensor bias in _hiddenBiases) bias.Span.Clear();
    }

    private protected override void AddCellParameters(string suffix, int gateRows) =>
        _hiddenBiases.Add(AddParameter("bias_hh" + suffix, Tensor.Zeros(gateRows)));

    private protected override RecurrentOutput RunCell(int cell, Tensor gates, Tensor? hidden, Tensor? cellState, ReadOnlySpan<int> lengths, bool reverse) =>
        Ops.GruRecurrence(gates, HiddenWeight(cell), _hiddenBiases[cell], hidden, lengths, reverse);
}
