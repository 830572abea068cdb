using System.Numerics.Tensors;
using Latent.Engine.Autograd;
using Latent.Engine.Diagnostics;
using Latent.Engine.Kernels.Gemm;
using Latent.Engine.Kernels.Recurrent;

namespace Latent.Engine;

public static partial class Ops
{
    /// <summary>
    /// Runs an LSTM over a sequence whose input projections are already made: <paramref name="gates"/>
    /// [steps, batch, 4·hidden] holds x·W_ihᵀ + b for every step (one matrix product for the whole sequence, see
    /// <see cref="Nn.Lstm"/>), in PyTorch's gate order i, f, g, o; each step adds h₋₁·W_hhᵀ (one product per step) and
    /// applies the fused cell. <paramref name="hidden"/> and <paramref name="cell"/> are the initial state [batch, hidden]
    /// (zero when null); <paramref name="lengths"/> gives each row's real steps (the rest is padding) and
    /// <paramref name="reverse"/> reads the sequence from its end.
    /// </summary>
    public static RecurrentOutput LstmRecurrence(Tensor gates, Tensor weightHidden, Tensor? hidden = null, Tensor? cell = null,
        ReadOnlySpan<int> lengths = default, bool reverse = false)
    {
        using var profile = StepProfiler.Measure(WorkKind.Elementwise);
        var steps = new RecurrentSteps("LstmRecurrence", gates, 4, weightHidden, hidden, cell, lengths, reverse);
        var saved = new LstmSaved(steps);
        int batch = steps.Batch, size = steps.Size, block = batch * size;
        gates.Span.CopyTo(saved.Gates);
        float[] hArray = TensorPool.Rent(block), cArray = TensorPool.Rent(block);
        Span<float> h = hArray.AsSpan(0, block), c = cArray.AsSpan(0, block);
        if (hidden is null) h.Clear(); else hidden.Span.CopyTo(h);
        if (cell is null) c.Clear(); else cell.Span.CopyTo(c);
        c.CopyTo(saved.CellInitial);

        var packed = Tensor.Uninitialized([steps.Steps + 2, batch, size]);
        Span<float> output = packed.Span;
        for (int s = 0; s < steps.Steps; s++)
        {
            int t = steps.TimeOf(s);
            Span<float> g = saved.GatesAt(t), hOut = output.Slice(t * block, block);
            h.CopyTo(saved.HiddenPreviousAt(t));
            if (s > 0 || hidden is not null)
                Gemm.Multiply(batch, 4 * size, size, h, false, weightHidden.Span, true, g, accumulate: true);
            LstmCell.Forward(g, c, saved.CellAt(t), saved.TanhAt(t), hOut, batch, size);
            if (steps.AllActive(t))
            {
                hOut.CopyTo(h);
                saved.CellAt(t).CopyTo(c);
                continue;
            }
            for (int r = 0; r < batch; r++)
            {
                Span<float> cellRow = saved.CellAt(t).Slice(r * size, size), hRow = hOut.Slice(r * size, size);
                if (steps.Active(r, t))
                {
                    hRow.CopyTo(h.Slice(r * size, size));
                    cellRow.CopyTo(c.Slice(r * size, size));
                }
                else
                {
                    c.Slice(r * size, size).CopyTo(cellRow);   // a padded step keeps the state
                    hRow.Clear();
                }
            }
        }
        h.CopyTo(output.Slice(steps.Steps * block, block));
        c.CopyTo(output.Slice((steps.Steps + 1) * block, block));
        TensorPool.Return(hArray);
        TensorPool.Return(cArray);

        bool record = GradMode.IsEnabled && (gates.TracksGrad || weightHidden.TracksGrad || (hidden?.TracksGrad ?? false) || (cell?.TracksGrad ?? false));
        if (!record) saved.Release();
        return steps.Unpack(GradFn.Record(packed, record ? new LstmGrad(gates, weightHidden, hidden, cell, steps, saved) : null), hasCell: true);
    }

    /// <summary>What the LSTM's backward pass needs from the forward pass, one [batch, …] block per time index.</summary>
    private sealed class LstmSaved(RecurrentSteps steps)
    {
        private readonly int _block = steps.Batch * steps.Size;
        private float[]? _gates = TensorPool.Rent(steps.Steps * steps.Batch * 4 * steps.Size),
            _hiddenPrevious = TensorPool.Rent(steps.Steps * steps.Batch * steps.Size),
            _cells = TensorPool.Rent(steps.Steps * steps.Batch * steps.Size),
            _tanhs = TensorPool.Rent(steps.Steps * steps.Batch * steps.Size),
            _cellInitial = TensorPool.Rent(steps.Batch * steps.Size);

        /// <summary>Pre-activations, then activations, then (backward) pre-activation gradients: [steps, batch, 4·hidden].</summary>
        public Span<float> Gates => _gates.AsSpan(0, steps.Steps * _block * 4);
        public Span<float> GatesAt(int t) => _gates.AsSpan(t * 4 * _block, 4 * _block);
        /// <summary>The hidden state each time index started from: [steps, batch, hidden].</summary>
        public Span<float> HiddenPrevious => _hiddenPrevious.AsSpan(0, steps.Steps * _block);
        public Span<float> HiddenPreviousAt(int t) => _hiddenPrevious.AsSpan(t * _block, _block);
        public Span<float> CellAt(int t) => _cells.AsSpan(t * _block, _block);
        public Span<float> TanhAt(int t) => _tanhs.AsSpan(t * _block, _block);
        public Span<float> CellInitial => _cellInitial.AsSpan(0, _block);

        public void Release()
        {
            Return(ref _gates);
            Return(ref _hiddenPrevious);
            Return(ref _cells);
            Return(ref _tanhs);
            Return(ref _cellInitial);
        }
    }

    private sealed class LstmGrad(Tensor gates, Tensor weightHidden, Tensor? hidden, Tensor? cell, RecurrentSteps steps, LstmSaved saved)
        : GradFn(Present(gates, weightHidden, hidden, cell))
    {
        public override void Backward(Tensor output, ReadOnlySpan<float> g)
        {
            using var profile = StepProfiler.Measure(WorkKind.Elementwise);
            int batch = steps.Batch, size = steps.Size, block = batch * size;
            float[] dhNextArray = TensorPool.Rent(block), dcArray = TensorPool.Rent(block), dhArray = TensorPool.Rent(block);
            Span<float> dhNext = dhNextArray.AsSpan(0, block), dc = dcArray.AsSpan(0, block), dh = dhArray.AsSpan(0, block);
            g.Slice(steps.Steps * block, block).CopyTo(dhNext);
            g.Slice((steps.Steps + 1) * block, block).CopyTo(dc);
            for (int s = steps.Steps - 1; s >= 0; s--)
            {
                int t = steps.TimeOf(s);
                Span<float> dG = saved.GatesAt(t);
                ReadOnlySpan<float> cellPrevious = s == 0 ? saved.CellInitial : saved.CellAt(steps.TimeOf(s - 1));
                TensorPrimitives.Add(g.Slice(t * block, block), dhNext, dh);
                if (steps.AllActive(t))
                    LstmCell.Backward(dG, cellPrevious, saved.TanhAt(t), dh, dc, batch, size);
                else
                    for (int r = 0; r < batch; r++)
                    {
                        if (steps.Active(r, t))
                            LstmCell.Backward(dG.Slice(r * 4 * size, 4 * size), cellPrevious.Slice(r * size, size),
                                saved.TanhAt(t).Slice(r * size, size), dh.Slice(r * size, size), dc.Slice(r * size, size), 1, size);
                        else
                        {
                            dG.Slice(r * 4 * size, 4 * size).Clear();
                            dhNext.Slice(r * size, size).CopyTo(dh.Slice(r * size, size));   // the padded output had no gradient
                        }
                    }
                Gemm.Multiply(batch, size, 4 * size, dG, false, weightHidden.Span, false, dhNext, accumulate: false);
                if (!steps.AllActive(t))
                    for (int r = 0; r < batch; r++)
                        if (!steps.Active(r, t)) dh.Slice(r * size, size).CopyTo(dhNext.Slice(r * size, size));
            }
            if (gates.TracksGrad)
            {
                using var w = GradWriter.For(gates);
                saved.Gates.CopyTo(w.Target);
            }
            if (weightHidden.TracksGrad)
                Gemm.Multiply(4 * size, size, steps.Steps * batch, saved.Gates, true, saved.HiddenPrevious, false,
                    weightHidden.GradTarget(out bool accumulate), accumulate);
            AddGradient(hidden, dhNext);
            AddGradient(cell, dc);
            TensorPool.Return(dhNextArray);
            TensorPool.Return(dcArray);
            TensorPool.Return(dhArray);
        }

        public override void ReleaseSaved() => saved.Release();
    }

    /// <summary>Returns saved scratch to the pool once (a second call finds null).</summary>
    private static void Return(ref float[]? array)
    {
        if (array is not null) TensorPool.Return(array);
        array = null;
    }

    /// <summary>The inputs that are given (an initial state may be null).</summary>
    private static Tensor[] Present(params Tensor?[] inputs) => [.. inputs.OfType<Tensor>()];

    /// <summary>Adds <paramref name="gradient"/> to the gradient of <paramref name="input"/> when it tracks one.</summary>
    private static void AddGradient(Tensor? input, ReadOnlySpan<float> gradient)
    {
        if (input is null || !input.TracksGrad) return;
        using var w = GradWriter.For(input);
        gradient.CopyTo(w.Target);
    }
}
