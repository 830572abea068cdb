namespace Latent.Engine;

/// <summary>
/// The time steps of one recurrent pass: their order (forwards or backwards), which rows are real at each step
/// (variable lengths), and the checks and unpacking the LSTM and GRU share. A padded step leaves a row's state as it
/// was, so the final state is the one after the row's last real step in either direction.
/// </summary>
internal readonly struct RecurrentSteps
{
    private readonly int[]? _lengths;

    public RecurrentSteps(string operation, Tensor gates, int gateCount, Tensor weightHidden, Tensor? hidden, Tensor? cell,
        ReadOnlySpan<int> lengths, bool reverse)
    {
        if (gates.Rank != 3 || weightHidden.Rank != 2 || weightHidden.Dim(0) != gateCount * weightHidden.Dim(1)
            || gates.Dim(2) != weightHidden.Dim(0))
            throw new ArgumentException(
                $"{operation}: gates {Shapes.Format(gates.ShapeArray)} and hidden weight {Shapes.Format(weightHidden.ShapeArray)} do not fit; expected gates [steps, batch, {gateCount}·hidden] and weight [{gateCount}·hidden, hidden].");
        Steps = gates.Dim(0);
        Batch = gates.Dim(1);
        Size = weightHidden.Dim(1);
        Reverse = reverse;
        CheckState(operation, hidden);
        CheckState(operation, cell);
        if (!lengths.IsEmpty)
        {
            if (lengths.Length != Batch)
                throw new ArgumentException($"{operation}: {lengths.Length} lengths for a batch of {Batch}.");
            foreach (int length in lengths)
                if (length < 0 || length > Steps)
                    throw new ArgumentException($"{operation}: a length of {length} is outside 0..{Steps}.");
            if (lengths.ContainsAnyExcept(Steps)) _lengths = lengths.ToArray();
        }
    }

    public int Steps { get; }
    public int Batch { get; }
    /// <summary>The hidden size.</summary>
    public int Size { get; }
    public bool Reverse { get; }

    /// <summary>The time index of the <paramref name="step"/>-th step taken.</summary>
    public int TimeOf(int step) => Reverse ? Steps - 1 - step : step;

    /// <summary>Whether every row is real at time <paramref name="time"/>.</summary>
    public bool AllActive(int time)
    {
        if (_lengths is null) return true;
        foreach (int length in _lengths)
            if (time >= length) return false;
        return true;
    }

    /// <summary>Whether row <paramref name="row"/> is real at time <paramref name="time"/>.</summary>
    public bool Active(int row, int time) => _lengths is null || time < _lengths[row];

    private void CheckState(string operation, Tensor? state)
    {
        if (state is not null && (state.Rank != 2 || state.Dim(0) != Batch || state.Dim(1) != Size))
            throw new ArgumentException($"{operation}: the initial state {Shapes.Format(state.ShapeArray)} does not fit; expected [{Batch}, {Size}].");
    }

    /// <summary>The output, final hidden state and (LSTM) final cell state out of a packed [steps + 1|2, batch, hidden] result.</summary>
    public RecurrentOutput Unpack(Tensor packed, bool hasCell) => new(packed, Steps, Batch, Size, hasCell);
}
