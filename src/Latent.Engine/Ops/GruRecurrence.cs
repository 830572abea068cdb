using System.Numerics.Tensors;
using Latent.Engine.Autograd;
using Latent.Engine.Diagnostics;
using Latent.Engine.Kernels.Gemm;
using Latent.Engine.Kernels.Recurrent;

namespace Latent.Engine;

public static partial class Ops
{
    /// <summary>
    /// Runs a GRU over a sequence whose input projections are already made: <paramref name="gates"/>
    /// [steps, batch, 3·hidden] holds x·W_ihᵀ + b_ih for every step, in PyTorch's gate order r, z, n; each step makes
    /// h₋₁·W_hhᵀ + b_hh (one product per step) and applies the fused cell. <paramref name="hidden"/> is the initial
    /// state [batch, hidden] (zero when null); <paramref name="lengths"/> and <paramref name="reverse"/> as for
    /// <see cref="LstmRecurrence"/>.
    /// </summary>
    public static unsafe RecurrentOutput GruRecurrence(Tensor gates, Tensor weightHidden, Tensor? biasHidden = null, Tensor? hidden = null,
        ReadOnlySpan<int> lengths = default, bool reverse = false)
    {
        using var profile = StepProfiler.Measure(WorkKind.Elementwise);
        var steps = new RecurrentSteps("GruRecurrence", gates, 3, weightHidden, hidden, null, lengths, reverse);
        int batch = steps.Batch, size = steps.Size, block = batch * size;
        if (biasHidden is not null && (biasHidden.Rank != 1 || biasHidden.Dim(0) != 3 * size))
            throw new ArgumentException($"GruRecurrence: the hidden bias {Shapes.Format(biasHidden.ShapeArray)} does not fit; expected [{3 * size}].");
        var saved = new GruSaved(steps);
        gates.Span.CopyTo(saved.InputGates);
        float[] hArray = TensorPool.Rent(block);
        Span<float> h = hArray.AsSpan(0, block);
        if (hidden is null) h.Clear(); else hidden.Span.CopyTo(h);

        var packed = Tensor.Uninitialized([steps.Steps + 1, batch, size]);
        Span<float> output = packed.Span;
        fixed (float* pb = biasHidden is null ? default : biasHidden.Span)
        {
            var epilogue = new GemmEpilogue(pb, Activation.Identity, 0f);
            for (int s = 0; s < steps.Steps; s++)
            {
                int t = steps.TimeOf(s);
                Span<float> hOut = output.Slice(t * block, block);
                h.CopyTo(saved.HiddenPreviousAt(t));
                Gemm.Multiply(batch, 3 * size, size, h, false, weightHidden.Span, true, saved.HiddenGatesAt(t), accumulate: false, epilogue);
                GruCell.Forward(saved.InputGatesAt(t), saved.HiddenGatesAt(t), h, hOut, batch, size);
                if (steps.AllActive(t))
                {
                    hOut.CopyTo(h);
                    continue;
                }
                for (int r = 0; r < batch; r++)
                {
                    Span<float> hRow = hOut.Slice(r * size, size);
                    if (steps.Active(r, t)) hRow.CopyTo(h.Slice(r * size, size));
                    else hRow.Clear();   // a padded step keeps the state
                }
            }
        }
        h.CopyTo(output.Slice(steps.Steps * block, block));
        TensorPool.Return(hArray);

        bool record = GradMode.IsEnabled && (gates.TracksGrad || weightHidden.TracksGrad || (biasHidden?.TracksGrad ?? false) || (hidden?.TracksGrad ?? false));
        if (!record) saved.Release();
        return steps.Unpack(GradFn.Record(packed, record ? new GruGrad(gates, weightHidden, biasHidden, hidden, steps, saved) : null), hasCell: false);
    }

    /// <summary>What the GRU's backward pass needs from the forward pass, one [batch, …] block per time index.</summary>
    private sealed class GruSaved(RecurrentSteps steps)
    {
        private readonly int _block = steps.Batch * steps.Size;
        private float[]? _inputGates = TensorPool.Rent(steps.Steps * steps.Batch * 3 * steps.Size),
            _hiddenGates = TensorPool.Rent(steps.Steps * steps.Batch * 3 * steps.Size),
            _hiddenPrevious = TensorPool.Rent(steps.Steps * steps.Batch * steps.Size);

        /// <summary>Input projections, then activations r, z, n, then (backward) their gradients: [steps, batch, 3·hidden].</summary>
        public Span<float> InputGates => _inputGates.AsSpan(0, steps.Steps * _block * 3);
        public Span<float> InputGatesAt(int t) => _inputGates.AsSpan(t * 3 * _block, 3 * _block);
        /// <summary>Hidden projections (with their bias), then (backward) their gradients: [steps, batch, 3·hidden].</summary>
        public Span<float> HiddenGates => _hiddenGates.AsSpan(0, steps.Steps * _block * 3);
        public Span<float> HiddenGatesAt(int t) => _hiddenGates.AsSpan(t * 3 * _block, 3 * _block);
        /// <summary>The hidden state each time index started from: [steps, batch, hidden].</summary>
        public Span<float> HiddenPrevious => _hiddenPrevious.AsSpan(0, steps.Steps * _block);
        public Span<float> HiddenPreviousAt(int t) => _hiddenPrevious.AsSpan(t * _block, _block);

        public void Release()
        {
            Return(ref _inputGates);
            Return(ref _hiddenGates);
            Return(ref _hiddenPrevious);
        }
    }

    private sealed class GruGrad(Tensor gates, Tensor weightHidden, Tensor? biasHidden, Tensor? hidden, RecurrentSteps steps, GruSaved saved)
        : GradFn(Present(gates, weightHidden, biasHidden, hidden))
    {
        public override void Backward(Tensor output, ReadOnlySpan<float> g)
        {
            using var profile = StepProfiler.Measure(WorkKind.Elementwise);
            int batch = steps.Batch, size = steps.Size, block = batch * size;
            float[] dhNextArray = TensorPool.Rent(block), dhArray = TensorPool.Rent(block);
            Span<float> dhNext = dhNextArray.AsSpan(0, block), dh = dhArray.AsSpan(0, block);
            g.Slice(steps.Steps * block, block).CopyTo(dhNext);
            for (int s = steps.Steps - 1; s >= 0; s--)
            {
                int t = steps.TimeOf(s);
                Span<float> dx = saved.InputGatesAt(t), dHidden = saved.HiddenGatesAt(t);
                ReadOnlySpan<float> hPrevious = saved.HiddenPreviousAt(t);
                TensorPrimitives.Add(g.Slice(t * block, block), dhNext, dh);
                // dhNext becomes dL/dh₋₁: the direct part dh·z here, the part through W_hh below.
                if (steps.AllActive(t))
                    GruCell.Backward(dx, dHidden, hPrevious, dh, dhNext, batch, size);
                else
                    for (int r = 0; r < batch; r++)
                    {
                        Span<float> dhRow = dh.Slice(r * size, size), nextRow = dhNext.Slice(r * size, size);
                        if (steps.Active(r, t))
                            GruCell.Backward(dx.Slice(r * 3 * size, 3 * size), dHidden.Slice(r * 3 * size, 3 * size),
                                hPrevious.Slice(r * size, size), dhRow, nextRow, 1, size);
                        else
                        {
                            dx.Slice(r * 3 * size, 3 * size).Clear();
                            dHidden.Slice(r * 3 * size, 3 * size).Clear();   // nextRow keeps the later steps' gradient
                        }
                    }
                Gemm.Multiply(batch, size, 3 * size, dHidden, false, weightHidden.Span, false, dhNext, accumulate: true);
            }
            if (gates.TracksGrad)
            {
                using var w = GradWriter.For(gates);
                saved.InputGates.CopyTo(w.Target);
            }
            if (weightHidden.TracksGrad)
                Gemm.Multiply(3 * size, size, steps.Steps * batch, saved.HiddenGates, true, saved.HiddenPrevious, false,
                    weightHidden.GradTarget(out bool accumulate), accumulate);
            if (biasHidden is not null && biasHidden.TracksGrad)
            {
                using var w = GradWriter.For(biasHidden);
                SumRows(saved.HiddenGates, steps.Steps * batch, 3 * size, w.Target);
            }
            AddGradient(hidden, dhNext);
            TensorPool.Return(dhNextArray);
            TensorPool.Return(dhArray);
        }

        public override void ReleaseSaved() => saved.Release();
    }
}
