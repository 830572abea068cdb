namespace Latent.Engine;

/// <summary>
/// What a recurrent pass returns for a sequence: the hidden state at every time step and the state it ends in. Each is
/// copied out of the pass's result on first use (and recorded for gradients if the pass was), so that a part nobody
/// reads costs nothing: an encoder whose outputs are never used, a decoder whose final state is dropped.
/// </summary>
public sealed class RecurrentOutput
{
    private readonly Tensor _packed;
    private readonly int _steps, _batch, _size;
    private readonly bool _hasCell, _recorded;
    private Tensor? _output, _hidden, _cell;

    /// <param name="packed">[steps + 1 (+1 with a cell), batch, hidden]: the outputs, the final hidden state, the final cell state.</param>
    internal RecurrentOutput(Tensor packed, int steps, int batch, int size, bool hasCell)
    {
        _packed = packed;
        (_steps, _batch, _size, _hasCell) = (steps, batch, size, hasCell);
        _recorded = packed.TracksGrad;
    }

    /// <summary>[steps, batch, hidden]: the hidden state after each time step, in time order (also when the pass reads the
    /// sequence backwards); zero at padded steps.</summary>
    public Tensor Output => _output ??= Ops.Slice(_packed, 0, 0, _steps, _recorded);

    /// <summary>[batch, hidden]: the final hidden state (after each row's last real step).</summary>
    public Tensor Hidden => _hidden ??= Ops.Slice(_packed, 0, _steps, 1, _recorded).Reshape(_batch, _size);

    /// <summary>[batch, hidden]: the LSTM's final cell state; null for a GRU.</summary>
    public Tensor? Cell => !_hasCell ? null : _cell ??= Ops.Slice(_packed, 0, _steps + 1, 1, _recorded).Reshape(_batch, _size);
}
