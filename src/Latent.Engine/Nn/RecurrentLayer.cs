namespace Latent.Engine.Nn;

/// <summary>
/// A stack of recurrent layers over time-major sequences [steps, batch, features]: each layer and direction makes
/// the input projections of the whole sequence in one matrix product, then runs its cell step by step
/// (<see cref="Ops.LstmRecurrence"/>, <see cref="Ops.GruRecurrence"/>). A bidirectional layer concatenates the
/// forward and backward outputs; dropout applies between layers while training. Parameters are named as PyTorch's
/// (<c>weight_ih_l0</c>, <c>weight_hh_l0_reverse</c>, …).
/// </summary>
public abstract class RecurrentLayer : Module
{
    private readonly Rng _rng;
    private readonly Tensor[] _inputWeights, _hiddenWeights, _inputBiases;

    /// <param name="gates">Gates per cell (4 for an LSTM, 3 for a GRU).</param>
    private protected RecurrentLayer(int gates, int inputs, int hidden, int layers, bool bidirectional, float dropout, Rng? rng)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputs);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hidden);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(layers);
        if (!(dropout >= 0f && dropout < 1f)) throw new ArgumentOutOfRangeException(nameof(dropout), dropout, "Dropout probability must be in [0, 1).");
        Inputs = inputs;
        HiddenSize = hidden;
        Layers = layers;
        Directions = bidirectional ? 2 : 1;
        Dropout = dropout;
        _rng = rng ?? Rng.Default;
        int cells = layers * Directions;
        _inputWeights = new Tensor[cells];
        _hiddenWeights = new Tensor[cells];
        _inputBiases = new Tensor[cells];
        for (int l = 0; l < layers; l++)
            for (int d = 0; d < Directions; d++)
            {
                string suffix = $"_l{l}" + (d == 1 ? "_reverse" : "");
                int k = l * Directions + d, width = l == 0 ? inputs : hidden * Directions;
                _inputWeights[k] = AddParameter("weight_ih" + suffix, Tensor.Zeros(gates * hidden, width));
                _hiddenWeights[k] = AddParameter("weight_hh" + suffix, Tensor.Zeros(gates * hidden, hidden));
                _inputBiases[k] = AddParameter("bias_ih" + suffix, Tensor.Zeros(gates * hidden));
                AddCellParameters(suffix, gates * hidden);
            }
    }

    /// <summary>Features per input step.</summary>
    public int Inputs { get; }
    /// <summary>Hidden units per layer and direction.</summary>
    public int HiddenSize { get; }
    /// <summary>Stacked layers.</summary>
    public int Layers { get; }
    /// <summary>1, or 2 for a bidirectional stack.</summary>
    public int Directions { get; }
    /// <summary>Dropout probability between layers while training.</summary>
    public float Dropout { get; }
    /// <summary>Features per output step: Directions · HiddenSize.</summary>
    public int Outputs => Directions * HiddenSize;

    /// <summary>The output sequence [steps, batch, Outputs] of input [steps, batch, Inputs], from a zero state.</summary>
    public override Tensor Forward(Tensor input) => Run(input).Output;

    /// <summary>
    /// Runs the stack over <paramref name="input"/> [steps, batch, Inputs] from <paramref name="state"/> (zero when null);
    /// <paramref name="lengths"/> gives each row's real steps when the batch is padded.
    /// </summary>
    public SequenceOutput Run(Tensor input, RecurrentState? state = null, ReadOnlySpan<int> lengths = default)
    {
        if (input.Rank != 3 || input.Dim(2) != Inputs)
            throw new ArgumentException($"{GetType().Name}: input {Shapes.Format(input.ShapeArray)} does not fit; expected [steps, batch, {Inputs}].");
        int steps = input.Dim(0), batch = input.Dim(1);
        var cells = new RecurrentOutput[Layers * Directions];
        Tensor x = input;
        for (int l = 0; l < Layers; l++)
        {
            if (l > 0) x = Ops.Dropout(SequenceOutput.Join(cells[((l - 1) * Directions)..(l * Directions)]), Dropout, _rng, IsTraining);
            for (int d = 0; d < Directions; d++)
            {
                int k = l * Directions + d;
                Tensor gates = Ops.Linear(x.Reshape(steps * batch, x.Dim(2)), _inputWeights[k], _inputBiases[k])
                    .Reshape(steps, batch, _inputWeights[k].Dim(0));
                cells[k] = RunCell(k, gates, StateOf(state?.Hidden, k, batch), StateOf(state?.Cell, k, batch), lengths, reverse: d == 1);
            }
        }
        return new SequenceOutput(cells, Directions, batch, HiddenSize);
    }

    /// <summary>Keras's initialisation: Glorot-uniform input weights, orthogonal recurrent weights, zero biases.</summary>
    public virtual void ResetParameters(Rng rng)
    {
        for (int k = 0; k < _inputWeights.Length; k++)
        {
            Init.GlorotUniform(_inputWeights[k], rng);
            Init.Orthogonal(_hiddenWeights[k], rng);
            _inputBiases[k].Span.Clear();
        }
    }

    /// <summary>The input bias of layer and direction <paramref name="cell"/> (index l · Directions + d).</summary>
    private protected Tensor InputBias(int cell) => _inputBiases[cell];

    private protected Tensor HiddenWeight(int cell) => _hiddenWeights[cell];

    /// <summary>Registers the parameters a cell kind adds (the GRU's hidden bias).</summary>
    private protected virtual void AddCellParameters(string suffix, int gateRows) { }

    /// <summary>Runs layer and direction <paramref name="cell"/> over its input projections.</summary>
    private protected abstract RecurrentOutput RunCell(int cell, Tensor gates, Tensor? hidden, Tensor? cellState, ReadOnlySpan<int> lengths, bool reverse);

    /// <summary>Row <paramref name="k"/> of a state [cells, batch, hidden] as [batch, hidden].</summary>
    private Tensor? StateOf(Tensor? state, int k, int batch)
    {
        if (state is null) return null;
        if (state.Rank != 3 || state.Dim(0) != Layers * Directions || state.Dim(1) != batch || state.Dim(2) != HiddenSize)
            throw new ArgumentException($"{GetType().Name}: state {Shapes.Format(state.ShapeArray)} does not fit; expected [{Layers * Directions}, {batch}, {HiddenSize}].");
        return state.Dim(0) == 1 ? state.Reshape(batch, HiddenSize) : Ops.Slice(state, 0, k, 1).Reshape(batch, HiddenSize);
    }
}
