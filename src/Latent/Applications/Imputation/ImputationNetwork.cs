using Latent.Engine;
using Latent.Engine.Losses;
using Latent.Engine.Nn;
using Latent.Training;

namespace Latent.Applications.Imputation;

/// <summary>
/// The denoising network behind <see cref="Imputer"/>: it reads a row's values, with a column's fill value
/// wherever a value is unknown, next to the 0/1 mask of known cells ([rows, 2·width]), and predicts every value.
/// Training rows are [values | mask] with the fill already in the unknown cells.
/// </summary>
/// <remarks>
/// Each batch hides a further <see cref="ImputerOptions.HideFraction"/> of the known cells; the loss is the mean
/// squared error on those hidden cells plus that on the still visible ones (so the network neither forgets how
/// to pass known values through nor learns only that). Unknown cells never count. With several passes, pass
/// p + 1 sees pass p's estimates (without gradient) in place of the fill, as it will at inference.
/// </remarks>
internal sealed class ImputationNetwork : ITrainable
{
    private readonly Sequential _layers;
    private readonly float[] _fill;
    private readonly float _hide;
    private readonly int _passes;

    public ImputationNetwork(float[] fill, ImputerOptions options, Rng rng)
    {
        _fill = fill;
        _hide = options.HideFraction;
        _passes = options.Passes;
        _layers = new Sequential();
        int width = 2 * fill.Length;
        foreach (int hidden in options.Hidden)
        {
            _layers.Add(new Linear(width, hidden, activation: Activation.Relu, rng: rng));
            width = hidden;
        }
        _layers.Add(new Linear(width, fill.Length, rng: rng));
    }

    public int Width => _fill.Length;

    /// <summary>Each column's fill value for unknown cells (its mean in scaled units).</summary>
    public IReadOnlyList<float> Fill => _fill;

    public Module Network => _layers;

    public Tensor Loss(Tensor batch, Rng rng)
    {
        int rows = batch.Dim(0), width = Width;
        ReadOnlySpan<float> data = batch.Span;
        // Not disposed here: the graph reads them again in Backward (targets, masks, the first layer's input).
        Tensor values = Tensor.Zeros(rows, width), visible = Tensor.Zeros(rows, width), hidden = Tensor.Zeros(rows, width);
        Span<float> v = values.Span, keep = visible.Span, hide = hidden.Span;
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < width; c++)
            {
                int i = r * width + c;
                v[i] = data[r * 2 * width + c];
                bool known = data[r * 2 * width + width + c] > 0.5f;
                bool hideIt = known && rng.NextFloat() < _hide;
                keep[i] = known && !hideIt ? 1f : 0f;
                hide[i] = hideIt ? 1f : 0f;
            }
        }

        Tensor? previous = null, loss = null;
        for (int pass = 0; pass < _passes; pass++)
        {
            Tensor output = _layers.Forward(Input(values, visible, previous));
            Tensor passLoss = Engine.Losses.Loss.Mse(output, values, hidden) + Engine.Losses.Loss.Mse(output, values, visible);
            loss = loss is null ? passLoss : loss + passLoss;
            previous?.Dispose();
            previous = pass + 1 < _passes ? output.Detach() : null;
        }
        return loss!;
    }

    /// <summary>Predicts every value of rows whose unknown cells are NaN ([rows, width]), without a graph.</summary>
    public Tensor Predict(Tensor rows)
    {
        using var _ = Tensor.NoGrad();
        int n = rows.Dim(0), width = Width;
        ReadOnlySpan<float> x = rows.Span;
        using Tensor values = Tensor.Zeros(n, width), known = Tensor.Zeros(n, width);
        Span<float> v = values.Span, m = known.Span;
        for (int i = 0; i < x.Length; i++)
        {
            bool isKnown = !float.IsNaN(x[i]);
            v[i] = isKnown ? x[i] : 0f;
            m[i] = isKnown ? 1f : 0f;
        }
        Tensor? estimate = null;
        for (int pass = 0; pass < _passes; pass++)
        {
            using Tensor input = Input(values, known, estimate);
            Tensor next = _layers.Forward(input);
            estimate?.Dispose();
            estimate = next;
        }
        return estimate!;
    }

    /// <summary>[values where visible, else the previous estimate or the column fill | visible mask].</summary>
    private Tensor Input(Tensor values, Tensor visible, Tensor? previous)
    {
        int rows = values.Dim(0), width = Width;
        var input = Tensor.Zeros(rows, 2 * width);
        Span<float> dst = input.Span;
        ReadOnlySpan<float> v = values.Span, keep = visible.Span;
        ReadOnlySpan<float> estimate = previous is null ? default : previous.Span;
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < width; c++)
            {
                int i = r * width + c;
                bool isVisible = keep[i] > 0f;
                dst[r * 2 * width + c] = isVisible ? v[i] : previous is null ? _fill[c] : estimate[i];
                dst[r * 2 * width + width + c] = isVisible ? 1f : 0f;
            }
        }
        return input;
    }
}
