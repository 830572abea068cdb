namespace Latent.Engine.Nn;

/// <summary>
/// A recurrent stack's outputs: the last layer's [steps, batch, directions · hidden] and the final state. Like
/// <see cref="RecurrentOutput"/>'s parts, each is made on first use, so an encoder's unread outputs, a decoder's unread
/// final state or an LSTM's cell state when only <see cref="Hidden"/> is read cost nothing; read them in the grad mode of
/// the call that made them.
/// </summary>
public sealed class SequenceOutput
{
    private readonly RecurrentOutput[] _cells;   // layer by layer, direction by direction
    private readonly int _directions, _batch, _hidden;
    private Tensor? _output, _finalHidden;
    private RecurrentState? _state;

    internal SequenceOutput(RecurrentOutput[] cells, int directions, int batch, int hidden)
    {
        (_cells, _directions, _batch, _hidden) = (cells, directions, batch, hidden);
    }

    /// <summary>[steps, batch, directions · hidden]: the last layer's hidden state at every step (both directions side by side).</summary>
    public Tensor Output => _output ??= Join(_cells[^_directions..]);

    /// <summary>The final hidden (and LSTM cell) state of every layer and direction.</summary>
    public RecurrentState State => _state ??= new RecurrentState(Hidden, _cells[0].Cell is null ? null : Stack(_cells.Select(c => c.Cell!)));

    /// <summary>The final hidden state of every layer and direction, [layers · directions, batch, hidden], without the LSTM's cell state.</summary>
    public Tensor Hidden => _finalHidden ??= Stack(_cells.Select(c => c.Hidden));

    /// <summary>The outputs of one layer's directions, side by side: [steps, batch, directions · hidden].</summary>
    internal static Tensor Join(RecurrentOutput[] directions) =>
        directions.Length == 1 ? directions[0].Output : Ops.Concat([.. directions.Select(d => d.Output)], axis: 2);

    private Tensor Stack(IEnumerable<Tensor> states)
    {
        Tensor[] all = [.. states.Select(s => s.Reshape(1, _batch, _hidden))];
        return all.Length == 1 ? all[0] : Ops.Concat(all, axis: 0);
    }
}
